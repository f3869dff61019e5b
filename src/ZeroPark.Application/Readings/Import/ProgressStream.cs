namespace ZeroPark.Application.Readings.Import;

/// <summary>A read-only pass-through stream that reports the bytes read so far every 64 KiB (never going back).</summary>
internal sealed class ProgressStream(Stream inner, IProgress<long>? progress) : ForwardReadStream
{
    private const long Step = 1 << 16;
    private long _count;
    private long _reported;
    private long _next = Step;

    public override long Position
    {
        get => _count;
        set => throw new NotSupportedException();
    }

    /// <summary>The source was rewound: count from zero again, reporting only beyond what was reported.</summary>
    public void Restart() => _count = 0;

    /// <summary>Reports the final count.</summary>
    public void Complete()
    {
        if (progress is not null && _count > _reported)
        {
            _reported = _count;
            progress.Report(_count);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Advance(inner.Read(buffer, offset, count));
    public override int Read(Span<byte> buffer) => Advance(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Advance(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Advance(int n)
    {
        _count += n;
        if (progress is not null && _count >= _next && _count > _reported)
        {
            _reported = _count;
            _next = _count + Step;
            progress.Report(_count);
        }
        return n;
    }
}
