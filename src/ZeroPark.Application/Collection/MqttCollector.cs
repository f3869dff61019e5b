using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ZeroPark.Collection;
using ZeroPark.Metering;

namespace ZeroPark.Application.Collection;

/// <summary>
/// One MQTT subscription, subscribed with MQTTnet until stopped.
/// <para>Delivery: MQTT 5 with a fixed client id, clean start off and a session that never expires (the broker keeps the
/// subscription and queues QoS 1 messages while ZeroPark is down), subscribed at QoS 1. Messages are NOT acknowledged on
/// arrival (<c>AutoAcknowledge = false</c>): they are collected into batches (up to <see cref="MaxBatch"/> messages, what has
/// arrived), the batch's readings are ingested in one transaction through <see cref="ZeroParkStore.IngestAsync"/> (the path of
/// every source: same rules, dedup, corrections), and only after that commit is each message acknowledged (PUBACK). A crash
/// before the commit loses nothing (the broker redelivers); a crash between the commit and the PUBACKs redelivers readings that
/// are stored already, which ingest counts as duplicates: nothing is counted twice.</para>
/// <para>A malformed message or a rejected reading is logged with its topic and reason, counted in the source's health and
/// acknowledged (it would never get better); it never stops the subscription. A lost connection or a failed commit ends the
/// session without acknowledging; the collector reconnects with exponential backoff (1 s doubling to 60 s).</para>
/// </summary>
public sealed class MqttCollector(MqttSubscription sub, ZeroParkStore store, ILogger log)
{
    /// <summary>Most messages ingested in one transaction (also the receive maximum asked of the broker).</summary>
    public const int MaxBatch = 1000;

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            var started = DateTime.UtcNow;
            try
            {
                await RunSessionAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                var reason = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException!.Message : e.Message;
                log.LogWarning("mqtt {Name}: {Reason}; reconnecting in {Seconds} s", sub.Name, reason, backoff.TotalSeconds);
                await Health(0, 1, $"connection: {reason}", CancellationToken.None);
            }
            if (DateTime.UtcNow - started > TimeSpan.FromMinutes(1)) backoff = TimeSpan.FromSeconds(1);
            try { await Task.Delay(backoff, ct); }
            catch (OperationCanceledException) { break; }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private async Task RunSessionAsync(CancellationToken ct)
    {
        var template = sub.Template;
        var factory = new MqttClientFactory();
        using var client = factory.CreateMqttClient();
        var inbox = Channel.CreateBounded<MqttApplicationMessageReceivedEventArgs>(new BoundedChannelOptions(MaxBatch * 4) { SingleReader = true });
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        client.ApplicationMessageReceivedAsync += e =>
        {
            e.AutoAcknowledge = false;
            return inbox.Writer.WriteAsync(e, session.Token).AsTask();
        };
        client.DisconnectedAsync += e =>
        {
            inbox.Writer.TryComplete(new IOException($"disconnected from {sub.Host}:{sub.Port} ({e.Reason})"));
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(sub.Host, sub.Port)
            .WithClientId(sub.ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(uint.MaxValue)
            .WithReceiveMaximum(MaxBatch)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(15));
        if (!string.IsNullOrEmpty(sub.Username)) options = options.WithCredentials(sub.Username, sub.Password ?? "");
        if (sub.Tls)
            options = options.WithTlsOptions(o =>
            {
                o.UseTls();
                if (sub.AllowUntrusted) o.WithCertificateValidationHandler(_ => true);
            });
        var connected = await client.ConnectAsync(options.Build(), ct);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
            throw new IOException($"broker refused the connection: {connected.ResultCode} {connected.ReasonString}");
        var subscribed = await client.SubscribeAsync(factory.CreateSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(template.Filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build(), ct);
        foreach (var item in subscribed.Items)
            if (item.ResultCode is not (MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2))
                throw new IOException($"subscription to {template.Filter} refused: {item.ResultCode}");
        log.LogInformation("mqtt {Name}: subscribed to {Filter} on {Host}:{Port} (client id {ClientId}, session present: {Present})",
            sub.Name, template.Filter, sub.Host, sub.Port, sub.ClientId, connected.IsSessionPresent);
        await Health(0, 0, null, ct);
        try
        {
            var batch = new List<MqttApplicationMessageReceivedEventArgs>(MaxBatch);
            while (await inbox.Reader.WaitToReadAsync(ct))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && inbox.Reader.TryRead(out var e)) batch.Add(e);
                if (batch.Count > 0) await ProcessAsync(batch, template, ct);
            }
            // Completed without an exception: cannot happen (completion always carries the disconnect).
        }
        finally
        {
            session.Cancel();
            if (client.IsConnected)
            {
                // Bounded: a process being stopped (SIGTERM) must not wait on the broker; unacknowledged messages are redelivered anyway.
                using var bye = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                try { await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), bye.Token); }
                catch (Exception) { /* the session ends anyway */ }
            }
        }
    }

    private async Task ProcessAsync(List<MqttApplicationMessageReceivedEventArgs> batch, TopicTemplate template, CancellationToken ct)
    {
        var points = new List<RawPoint>();
        var origin = new List<int>();   // message index of each point, by point position
        var errors = 0;
        string? lastError = null;
        var arrived = store.Clock.GetUtcNow();
        for (var i = 0; i < batch.Count; i++)
        {
            var msg = batch[i].ApplicationMessage;
            var topic = msg.Topic;
            ReadOnlySpan<byte> payload = msg.Payload.IsSingleSegment ? msg.Payload.FirstSpan : System.Buffers.BuffersExtensions.ToArray(msg.Payload);
            string? reason = null;
            string? meter = null;
            if (!template.TryMatch(topic, out var park, out var topicMeter)) reason = $"topic does not fit the template {template.Text}";
            else if (park is not null && !string.Equals(park, sub.Park, StringComparison.Ordinal))
                reason = $"topic names park '{park}', the subscription is park '{sub.Park}'s";
            else meter = topicMeter ?? sub.Meter;
            if (reason is null)
            {
                var parsed = MqttPayload.Parse(payload, meter, arrived);
                foreach (var err in parsed.Errors) reason = reason is null ? LineReason(err) : reason + "; " + LineReason(err);
                foreach (var p in parsed.Points)
                {
                    points.Add(p with { Line = points.Count + 1 });
                    origin.Add(i);
                }
            }
            if (reason is not null)
            {
                errors++;
                lastError = $"{topic}: {reason}";
                log.LogWarning("mqtt {Name}: message on {Topic} refused: {Reason} (payload {Payload})", sub.Name, topic, reason, MqttPayload.Show(payload));
            }
        }
        var stored = 0;
        if (points.Count > 0)
        {
            // One transaction for the whole batch; an exception here (database down) leaves every message unacknowledged.
            var summary = await store.Readings.IngestAsync(sub.Park, points, new IngestSource("mqtt", "mqtt:" + sub.Name), detail: false, ct);
            stored = summary.Accepted + summary.Duplicates + summary.Corrected;
            foreach (var r in summary.Rejected)
            {
                errors++;
                var topic = r.Line >= 1 && r.Line <= origin.Count ? batch[origin[r.Line - 1]].ApplicationMessage.Topic : "?";
                lastError = $"{topic}: {r.Reason}";
                log.LogWarning("mqtt {Name}: reading on {Topic} rejected: {Reason}", sub.Name, topic, r.Reason);
            }
        }
        // Committed (or nothing to store): now the broker may forget the messages.
        foreach (var e in batch) await e.AcknowledgeAsync(ct);
        await Health(stored, errors, lastError, ct);
    }

    private static string LineReason(RowError e) => e.Line == 0 ? e.Reason : $"point {e.Line}: {e.Reason}";

    private async Task Health(int readings, int errors, string? lastError, CancellationToken ct)
    {
        try
        {
            var park = await store.Registry.GetParkAsync(sub.Park, ct);
            await store.Collection.RecordHealthAsync(sub.SourceKey, park.Id.Value, "mqtt", sub.Name, sub.IntervalSeconds, readings, errors, lastError, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("mqtt {Name}: health not recorded: {Reason}", sub.Name, e.Message);
        }
    }
}
