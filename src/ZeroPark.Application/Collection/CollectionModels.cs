using ZeroPark.Collection;

namespace ZeroPark.Application.Collection;

/// <summary>An MQTT subscription as given by the user (<c>zeropark mqtt add</c>, <c>POST …/collection/mqtt</c>, the collection page).</summary>
public sealed record MqttDraft(string Broker, string Topic)
{
    /// <summary>Name of the subscription within the park (default: the topic).</summary>
    public string? Name { get; init; }
    /// <summary>The meter of a topic without <c>{meter}</c> (one topic bound to one meter).</summary>
    public string? Meter { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    /// <summary>TLS (also implied by an <c>mqtts://</c> broker).</summary>
    public bool Tls { get; init; }
    /// <summary>Accept a broker certificate that does not validate (self-signed test brokers only).</summary>
    public bool AllowUntrusted { get; init; }
    /// <summary>The fixed client id of the persistent session (default <c>zeropark-{park}-{name}</c>).</summary>
    public string? ClientId { get; init; }
    /// <summary>Seconds between readings the gateway is expected to send (for online/offline; default 60).</summary>
    public int IntervalSeconds { get; init; } = 60;
}

/// <summary>A stored MQTT subscription. <see cref="Host"/>/<see cref="Port"/> come from the broker URL.</summary>
public sealed record MqttSubscription(long Id, string Park, string Name, string Broker, string Host, int Port, string Topic, string? Meter,
    string? Username, string? Password, bool Tls, bool AllowUntrusted, string ClientId, int IntervalSeconds, bool Enabled)
{
    public string SourceKey => $"mqtt:{Id}";
    public TopicTemplate Template => TopicTemplate.TryParse(Topic, out _)!;
}

/// <summary>A Modbus TCP device as given by the user.</summary>
public sealed record ModbusDeviceDraft(string Code, string Host, int Port = 502, int UnitId = 1)
{
    public int IntervalSeconds { get; init; } = 60;
    public int TimeoutMs { get; init; } = 2000;
    public int Retries { get; init; } = 2;
}

/// <summary>One entry of a register map: which registers hold which meter's value, and how to decode them. The value stored is
/// the decoded number × <see cref="Scale"/>, in the meter's unit (<see cref="Unit"/>, when given, must be the meter's unit).</summary>
public sealed record ModbusPoint(string Meter, RegisterTable Table, int Address, RegisterType Type, WordOrder WordOrder, WordOrder ByteOrder, double Scale, string? Unit)
{
    public int Count => RegisterDecoding.Count(Type);
}

/// <summary>A stored Modbus device with its register map.</summary>
public sealed record ModbusDevice(long Id, string Park, string Code, string Host, int Port, int UnitId, int IntervalSeconds, int TimeoutMs, int Retries,
    bool Enabled, IReadOnlyList<ModbusPoint> Map)
{
    public string SourceKey => $"modbus:{Id}";
}

/// <summary>A watched folder (<c>folder</c>: a local directory) or a polled URL (<c>http</c>: a loopback http(s) URL).</summary>
public sealed record FolderDraft(string Name, string Kind, string Location)
{
    /// <summary>File name pattern of a folder (default <c>*.csv</c>; also *.xlsx, *.txt, …).</summary>
    public string Pattern { get; init; } = "*.csv";
    public int IntervalSeconds { get; init; } = 300;
    /// <summary>A column mapping (JSON, as for <c>zeropark import --mapping</c>).</summary>
    public string? Mapping { get; init; }
}

public sealed record FolderSource(long Id, string Park, string Name, string Kind, string Location, string Pattern, int IntervalSeconds, string? Mapping, bool Enabled)
{
    public string SourceKey => $"folder:{Id}";
}

/// <summary>What became of one file a folder or URL source found.</summary>
public sealed record FileOutcome(string Source, string Name, string Fingerprint, DateTimeOffset At, string Outcome, int Accepted, int Duplicates,
    int Corrected, int Rejected, string? Message);

/// <summary>The health of one collection source (采集监控): a gateway key, an MQTT subscription, a Modbus device or a folder.</summary>
public sealed record SourceHealthView(string Source, string Kind, string Name, int IntervalSeconds, string State, DateTimeOffset? LastReadingAt,
    double ReadingsPerMinute, long Readings, long Errors, string? LastError, DateTimeOffset? LastErrorAt);
