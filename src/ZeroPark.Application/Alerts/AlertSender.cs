using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace ZeroPark.Application.Alerts;

/// <summary>
/// Delivers the outbox: e-mail through MailKit's SMTP client, webhooks as JSON with an HMAC-SHA256 signature, and the robot formats
/// of DingTalk (text message, optional 加签 signature in the URL) and WeCom (企业微信 group robot, text message). A failure is recorded
/// on the delivery and retried with back-off (<see cref="AlertStore.RetryMinutes"/>), then marked failed; nothing here is called by
/// ingest, which only ever writes rows.
/// </summary>
public sealed class AlertSender(ZeroParkStore store, TimeProvider clock, IMessageLocalizer? localizer = null)
{
    private readonly IMessageLocalizer _loc = localizer ?? EnglishMessages.Instance;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly HttpClient SharedHttp = new() { Timeout = TimeSpan.FromSeconds(15) };

    private static HttpClient Http => SharedHttp;

    /// <summary>Sends the deliveries due now (at most <paramref name="max"/>); returns (sent, failed attempts).</summary>
    public async Task<(int Sent, int Failed)> SendDueAsync(int max = 100, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var due = await store.Alerts.DueAsync(now, max, ct);
        int sent = 0, failed = 0;
        foreach (var d in due)
        {
            string? error = null;
            try
            {
                await SendAsync(d, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                error = $"{e.GetType().Name}: {e.Message}";
            }
            await store.Alerts.MarkAsync(d, clock.GetUtcNow(), error, ct);
            if (error is null) sent++;
            else failed++;
        }
        return (sent, failed);
    }

    internal Task SendAsync(AlertStore.Delivery d, CancellationToken ct) => d.ChannelKind switch
    {
        "email" => EmailAsync(d, ct),
        "dingtalk" => RobotAsync(d, DingTalkUrl(d.Target, d.Secret, clock.GetUtcNow()), ct),
        "wecom" => RobotAsync(d, d.Target, ct),
        _ => WebhookAsync(d, ct),
    };

    /// <summary>The one-line subject/title of a delivery, in English.</summary>
    public static string Title(Alert a, string ev) => Title(a, ev, EnglishMessages.Instance, "en");

    public static string Text(Alert a, string ev) => Text(a, ev, EnglishMessages.Instance, "en");

    /// <summary>The subject/title in <paramref name="lang"/> (zh | en): the catalogue's formats "[ZeroPark {0}] {1}: {2} {3} {4}",
    /// the severity or event word, the rule, subject and period.</summary>
    public static string Title(Alert a, string ev, IMessageLocalizer loc, string lang)
    {
        var word = ev switch
        {
            "resolved" => loc.Word(lang, "al.status.resolved", "resolved"),
            "renotify" => loc.Format(lang, "still open"),
            _ => loc.Word(lang, "al.sev." + a.Severity, a.Severity),
        };
        return loc.Format(lang, "[ZeroPark {0}] {1}: {2} {3} {4}", a.Park, word, a.Rule, a.Subject, a.Period);
    }

    /// <summary>The body in <paramref name="lang"/>: title, the alert's message (and details) through the catalogue, raised time and status.</summary>
    public static string Text(Alert a, string ev, IMessageLocalizer loc, string lang) =>
        Title(a, ev, loc, lang) + "\n" + loc.Translate(lang, a.Message) + (a.Details.Length > 0 ? "\n" + loc.Translate(lang, a.Details) : "") + "\n" +
        loc.Format(lang, "raised {0}, status {1}, alert #{2}", a.RaisedAt.ToString("yyyy-MM-dd HH:mm zzz", Inv), loc.Word(lang, "al.status." + a.Status, a.Status), a.Id);

    private Task EmailAsync(AlertStore.Delivery d, CancellationToken ct) =>
        SendMailAsync(d.Config, d.Secret, d.Recipient is { } person ? [person] : d.Target.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            Title(d.Alert, d.Event, _loc, d.Language), Text(d.Alert, d.Event, _loc, d.Language), [], ct);

    /// <summary>A file attached to an e-mail.</summary>
    public sealed record MailAttachment(string FileName, string MediaType, byte[] Content);

    /// <summary>Sends one plain-text e-mail (with optional attachments) through an e-mail channel's configuration (host, port, from,
    /// tls none|ssl|starttls, user + secret): the one SMTP client of the application, also used by the reports module's delivery.</summary>
    public static async Task SendMailAsync(IReadOnlyDictionary<string, string> cfg, string? secret, IEnumerable<string> recipients, string subject, string text,
        IReadOnlyList<MailAttachment> attachments, CancellationToken ct)
    {
        var msg = new MimeMessage();
        msg.From.Add(MailboxAddress.Parse(cfg["from"]));
        foreach (var to in recipients) msg.To.Add(MailboxAddress.Parse(to));
        msg.Subject = subject;
        var body = new TextPart("plain") { Text = text };
        if (attachments.Count == 0) msg.Body = body;
        else
        {
            var multipart = new Multipart("mixed") { body };
            foreach (var a in attachments)
                multipart.Add(new MimePart(ContentType.Parse(a.MediaType))
                {
                    Content = new MimeContent(new MemoryStream(a.Content)),
                    ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                    ContentTransferEncoding = ContentEncoding.Base64,
                    FileName = a.FileName,
                });
            msg.Body = multipart;
        }
        using var smtp = new SmtpClient { Timeout = 15_000 };
        var tls = cfg.GetValueOrDefault("tls", "none") switch
        {
            "ssl" => SecureSocketOptions.SslOnConnect,
            "starttls" => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.None,
        };
        await smtp.ConnectAsync(cfg["host"], int.Parse(cfg.GetValueOrDefault("port", "25"), Inv), tls, ct);
        if (cfg.TryGetValue("user", out var user) && user.Length > 0) await smtp.AuthenticateAsync(user, secret ?? "", ct);
        await smtp.SendAsync(msg, ct);
        await smtp.DisconnectAsync(true, ct);
    }

    /// <summary>The JSON body of a generic webhook.</summary>
    public static string WebhookBody(Alert a, string ev) => WebhookBody(a, ev, EnglishMessages.Instance, "en");

    /// <summary>The webhook body with <c>message</c> and <c>title</c> in <paramref name="lang"/>; codes (severity, status, kind) stay codes.</summary>
    public static string WebhookBody(Alert a, string ev, IMessageLocalizer loc, string lang) => JsonSerializer.Serialize(new
    {
        @event = ev, id = a.Id, park = a.Park, rule = a.Rule, kind = a.Kind, subject = a.Subject, period = a.Period, severity = a.Severity, status = a.Status,
        title = Title(a, ev, loc, lang), language = lang, message = loc.Translate(lang, a.Message), value = a.Value, normal = a.Normal, details = loc.Translate(lang, a.Details), raised_at = a.RaisedAt.ToString("o", Inv),
    });

    /// <summary>sha256=hex(HMAC-SHA256(secret, timestamp + "." + body)): the receiver recomputes it and compares in constant time.</summary>
    public static string Signature(string secret, long timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp.ToString(Inv) + "." + body)));

    private async Task WebhookAsync(AlertStore.Delivery d, CancellationToken ct)
    {
        var body = WebhookBody(d.Alert, d.Event, _loc, d.Language);
        using var req = new HttpRequestMessage(HttpMethod.Post, d.Target) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var ts = clock.GetUtcNow().ToUnixTimeSeconds();
        req.Headers.Add("X-ZeroPark-Event", d.Event);
        req.Headers.Add("X-ZeroPark-Timestamp", ts.ToString(Inv));
        if (d.Secret is { Length: > 0 } secret) req.Headers.Add("X-ZeroPark-Signature", Signature(secret, ts, body));
        using var res = await Http.SendAsync(req, ct);
        if (!res.IsSuccessStatusCode) throw new HttpRequestException($"HTTP {(int)res.StatusCode} from the webhook");
    }

    /// <summary>DingTalk robot 加签: timestamp in ms, sign = Base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), URL-encoded,
    /// appended to the webhook URL.</summary>
    public static string DingTalkUrl(string url, string? secret, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(secret)) return url;
        var ts = now.ToUnixTimeMilliseconds().ToString(Inv);
        var sign = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(ts + "\n" + secret)));
        return url + (url.Contains('?') ? "&" : "?") + "timestamp=" + ts + "&sign=" + Uri.EscapeDataString(sign);
    }

    /// <summary>The text message both robots take: {"msgtype":"text","text":{"content":…}}.</summary>
    public static string RobotBody(Alert a, string ev) => RobotBody(a, ev, EnglishMessages.Instance, "en");

    public static string RobotBody(Alert a, string ev, IMessageLocalizer loc, string lang) =>
        JsonSerializer.Serialize(new { msgtype = "text", text = new { content = Text(a, ev, loc, lang) } });

    private async Task RobotAsync(AlertStore.Delivery d, string url, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(RobotBody(d.Alert, d.Event, _loc, d.Language), Encoding.UTF8) };
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var res = await Http.SendAsync(req, ct);
        var text = await res.Content.ReadAsStringAsync(ct);
        if (!res.IsSuccessStatusCode) throw new HttpRequestException($"HTTP {(int)res.StatusCode} from the robot");
        // Both robots answer 200 with {"errcode":0,"errmsg":"ok"}; any other errcode is a refusal (bad key, signature, rate limit).
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("errcode", out var code) && code.ValueKind == JsonValueKind.Number && code.GetInt32() != 0)
                throw new HttpRequestException($"robot refused the message: errcode {code.GetInt32()} {(doc.RootElement.TryGetProperty("errmsg", out var m) ? m.GetString() : "")}");
        }
        catch (JsonException)
        {
            throw new HttpRequestException("robot answered without JSON");
        }
    }
}
