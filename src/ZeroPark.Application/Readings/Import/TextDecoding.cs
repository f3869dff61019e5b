using System.Globalization;
using System.Text;

namespace ZeroPark.Application.Readings.Import;

/// <summary>Text decoding of uploaded files: an explicit encoding, or one chosen from the bytes. Bytes that are not
/// valid in the chosen encoding decode as U+FFFD, so that the parsers report the lines that hold them and keep the
/// others (one bad byte never makes a whole file unreadable).</summary>
internal static class TextDecoding
{
    private const int BufferSize = 1 << 16;
    /// <summary>Bytes looked at to choose the encoding.</summary>
    internal const int SampleBytes = 4 << 20;
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private static readonly Encoding Gbk = CreateGbk();

    private static Encoding CreateGbk()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(936, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));
    }

    public static bool TryResolve(string name, out Encoding? encoding)
    {
        _ = Gbk; // ensures the code-page provider is registered
        var n = name.Trim();
        try
        {
            encoding = n.ToLowerInvariant() switch
            {
                "utf-8" or "utf8" => Utf8,
                "gbk" or "cp936" or "936" or "gb2312" => Gbk,
                _ when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var cp) =>
                    Encoding.GetEncoding(cp, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD")),
                _ => Encoding.GetEncoding(n, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD")),
            };
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            encoding = null;
            return false;
        }
    }

    /// <summary>
    /// Chooses UTF-8 or GBK from up to the first 4 MiB: UTF-8 when the bytes are valid UTF-8, or mostly so (at least four
    /// valid multi-byte sequences per invalid one: a UTF-8 file with a few bad bytes); else GBK when it has fewer invalid
    /// sequences than UTF-8 (GBK text is mostly invalid as UTF-8); else UTF-8.
    /// </summary>
    internal static Encoding Choose(ReadOnlySpan<byte> sample, bool complete)
    {
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            return Utf8;
        int valid = 0, invalid = 0, i = 0;
        while (i < sample.Length)
        {
            int ascii = sample[i..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            if (ascii < 0)
                break;
            i += ascii;
            var status = System.Text.Rune.DecodeFromUtf8(sample[i..], out _, out int consumed);
            if (status == System.Buffers.OperationStatus.NeedMoreData && !complete)
                break;
            if (status == System.Buffers.OperationStatus.Done)
                valid++;
            else
                invalid++;
            i += Math.Max(1, consumed);
        }
        if (invalid == 0 || valid >= 4 * invalid)
            return Utf8;
        int gbkInvalid = 0;
        for (i = 0; i < sample.Length; i++)
        {
            byte b = sample[i];
            if (b < 0x80)
                continue;
            if (b is 0x80 or 0xFF)
            {
                gbkInvalid++;
                continue;
            }
            if (i + 1 >= sample.Length)
                break;
            byte t = sample[i + 1];
            if (t is >= 0x40 and <= 0xFE and not 0x7F)
                i++;
            else
                gbkInvalid++;
        }
        return gbkInvalid < invalid ? Gbk : Utf8;
    }

    /// <summary>Runs <paramref name="body"/> over the decoded text, with the name of the encoding (for error messages).
    /// Without an explicit encoding, the encoding is chosen from the first bytes (see <see cref="Choose"/>); a byte order
    /// mark always wins.</summary>
    public static T Read<T>(Stream stream, Encoding? encoding, IProgress<long>? progress, Func<TextReader, string, T> body)
    {
        var counted = new ProgressStream(stream, progress);
        Stream source = counted;
        if (encoding is null)
        {
            var sample = new byte[SampleBytes];
            int n = 0, k;
            while (n < sample.Length && (k = counted.Read(sample, n, Math.Min(BufferSize, sample.Length - n))) > 0)
                n += k;
            encoding = Choose(sample.AsSpan(0, n), complete: n < sample.Length);
            source = new PrefixedStream(sample, n, counted);
        }
        using var reader = new StreamReader(source, encoding, detectEncodingFromByteOrderMarks: true, BufferSize, leaveOpen: true);
        var result = body(reader, encoding.CodePage == 936 ? "GBK" : encoding.WebName.ToUpperInvariant());
        counted.Complete();
        return result;
    }

    /// <summary>Bytes already read, then the rest of the stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, int prefixLength, Stream rest) : ForwardReadStream
    {
        private int _pos;

        public override int Read(Span<byte> buffer)
        {
            if (_pos < prefixLength)
            {
                int n = Math.Min(buffer.Length, prefixLength - _pos);
                prefix.AsSpan(_pos, n).CopyTo(buffer);
                _pos += n;
                return n;
            }
            return rest.Read(buffer);
        }
    }
}
