namespace ZeroPark.Application.Readings.Import;

/// <summary>
/// Base of the import's pass-through streams: read-only and forward-only. Per <see cref="Stream"/>'s contract a stream
/// whose <see cref="CanSeek"/> and <see cref="CanWrite"/> are false throws <see cref="NotSupportedException"/> from
/// <see cref="Length"/>, <see cref="Seek"/>, <see cref="SetLength"/> and <see cref="Write(byte[], int, int)"/>; these
/// members are that contract, written once here. Subclasses implement <see cref="Read(Span{byte})"/>.
/// </summary>
internal abstract class ForwardReadStream : Stream
{
    public sealed override bool CanRead => true;
    public sealed override bool CanSeek => false;
    public sealed override bool CanWrite => false;
    public sealed override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public abstract override int Read(Span<byte> buffer);
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public sealed override void Flush() { }
    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public sealed override void SetLength(long value) => throw new NotSupportedException();
    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
