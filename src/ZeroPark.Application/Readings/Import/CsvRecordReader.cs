namespace ZeroPark.Application.Readings.Import;

/// <summary>
/// RFC 4180 record reader over a <see cref="TextReader"/>: quoted fields (with doubled quotes and line breaks),
/// CRLF/LF/CR line ends, delimiter detected from the header line. <see cref="Line"/> is the physical line on
/// which the current record starts.
/// <para>A quoting error costs at most its line: a quoted field that reaches the end of the input, that runs over more
/// than <see cref="MaxRecordLines"/> lines, or whose closing quote (after a line break) is followed by anything but a
/// delimiter or a line end makes the record <see cref="Malformed"/>, and reading goes on at the line after the one
/// where the record started (<see cref="Resync"/>). The caller may also resynchronise after a multi-line record it
/// cannot use (<see cref="SpansLines"/>), so that every physical line ends up read or reported.</para>
/// </summary>
internal sealed class CsvRecordReader(TextReader reader) : IRowFields
{
    /// <summary>Physical lines one record may span (a quoted field with line breaks).</summary>
    public const int MaxRecordLines = 32;
    private const int MaxCapture = 1 << 20;
    private const int BufferSize = 1 << 18;

    private char[] _buf = new char[BufferSize];
    private int _pos;
    private int _len;
    private bool _eof;
    private char _delim = ',';
    private char[] _chars = new char[256];
    private int _charCount;
    private int[] _ends = new int[16];
    private int _fieldCount;
    private int _nextLine = 1;
    // The raw text after the first line break of a multi-line record, kept to read it again line by line.
    private bool _capturing;
    private int _captureFrom;
    private char[] _capture = new char[256];
    private int _captureLen;

    public int Line { get; private set; }
    /// <summary>Why the current record could not be read (it is not a row then), or null.</summary>
    public string? Malformed { get; private set; }
    /// <summary>True when the current record spans more than one physical line.</summary>
    public bool SpansLines { get; private set; }
    /// <summary>True when the decoded text of the record holds U+FFFD: bytes that are not valid in the file's encoding.</summary>
    public bool HasInvalidText => _chars.AsSpan(0, _charCount).Contains('\uFFFD');
    public char Delimiter => _delim;
    public int Count => _fieldCount;

    public ReadOnlySpan<char> Get(int index)
    {
        int start = index == 0 ? 0 : _ends[index - 1];
        return _chars.AsSpan(start, _ends[index] - start);
    }

    public bool IsNumber(int index) => false;

    /// <summary>Picks comma, semicolon or tab — whichever occurs most in the first line (outside quotes).</summary>
    public void DetectDelimiter()
    {
        if (_pos >= _len && !Fill())
            return;
        int comma = 0, semicolon = 0, tab = 0;
        bool quoted = false;
        for (int i = _pos; i < _len; i++)
        {
            char c = _buf[i];
            if (c == '"')
                quoted = !quoted;
            else if (quoted)
                continue;
            else if (c is '\n' or '\r')
                break;
            else if (c == ',')
                comma++;
            else if (c == ';')
                semicolon++;
            else if (c == '\t')
                tab++;
        }
        _delim = semicolon > comma && semicolon >= tab ? ';' : tab > comma && tab > semicolon ? '\t' : ',';
    }

    /// <summary>Reads records until one that is not blank (malformed records are skipped).</summary>
    public bool ReadNonBlank()
    {
        while (Read())
        {
            if (Malformed is null && !this.IsBlank())
                return true;
        }
        return false;
    }

    public bool Read()
    {
        _fieldCount = 0;
        _charCount = 0;
        Malformed = null;
        SpansLines = false;
        _capturing = false;
        _captureLen = 0;
        if (_pos >= _len && !Fill())
            return false;
        Line = _nextLine;
        while (true)
        {
            if (_pos >= _len && !Fill())
            {
                EndField();
                return EndRecord();
            }
            if (_buf[_pos] == '"')
            {
                _pos++;
                var problem = ReadQuoted();
                if (problem is null && _capturing && (_pos < _len || Fill()) && _buf[_pos] != _delim && _buf[_pos] is not ('\r' or '\n'))
                    problem = "a closing '\"' is followed by text, not by a delimiter or the line end";
                if (problem is not null)
                {
                    EndField();
                    Malformed = $"row: {problem} (a stray '\"'?); the row is skipped and reading goes on at line {Line + 1}";
                    EndRecord();
                    Resync();
                    return true;
                }
            }
            bool delimiter = ReadToTerminator();
            EndField();
            if (!delimiter)
                return EndRecord();
        }
    }

    /// <summary>
    /// Between records: takes the complete lines ahead in the buffer that hold no '"' and no U+FFFD, and returns them (valid
    /// until the next call); empty when the next line holds one of them or does not end in the buffer (then <see cref="Read"/>
    /// reads it). Such lines are read by splitting at the delimiter and the line ends (CRLF, LF, CR), exactly as <see cref="Read"/>
    /// would read them, so a caller may split them faster (Sep). <paramref name="firstLine"/> is the physical line of the first.
    /// </summary>
    public ReadOnlyMemory<char> TakeCleanLines(out int firstLine)
    {
        firstLine = _nextLine;
        if (SpansLines || _capturing || (_pos >= _len && !Fill()))
            return default;
        var span = _buf.AsSpan(_pos, _len - _pos);
        int special = span.IndexOfAny('"', '\uFFFD');
        var clean = special < 0 ? span : span[..special];
        int end = clean.LastIndexOfAny('\r', '\n');
        // A CR that ends the buffer may be the first half of a CRLF split between two reads: leave its line to Read().
        if (end >= 0 && clean[end] == '\r' && end == span.Length - 1 && !_eof)
            end = clean[..end].LastIndexOfAny('\r', '\n');
        if (end < 0)
            return default;
        var run = span[..(end + 1)];
        _nextLine += run.Count('\n') + run.Count('\r') - run.Count("\r\n");
        var taken = _buf.AsMemory(_pos, end + 1);
        _pos += end + 1;
        return taken;
    }

    /// <summary>Reads the text after the first line of the current record again, as new records (after a multi-line
    /// record that is malformed or unusable). Does nothing for a single-line record.</summary>
    public void Resync()
    {
        if (!SpansLines)
            return;
        SpansLines = false;
        int rest = _len - _pos;
        var combined = new char[Math.Max(BufferSize, _captureLen + rest)];
        _capture.AsSpan(0, _captureLen).CopyTo(combined);
        _buf.AsSpan(_pos, rest).CopyTo(combined.AsSpan(_captureLen));
        _buf = combined;
        _pos = 0;
        _len = _captureLen + rest;
        _captureLen = 0;
        _nextLine = Line + 1;
    }

    private bool EndRecord()
    {
        if (_capturing)
        {
            Capture(_buf.AsSpan(_captureFrom, _pos - _captureFrom));
            _capturing = false;
        }
        return true;
    }

    /// <summary>Appends up to the next delimiter or line end and consumes it; true when it was a delimiter.</summary>
    private bool ReadToTerminator()
    {
        while (true)
        {
            if (_pos >= _len && !Fill())
                return false;
            var span = _buf.AsSpan(_pos, _len - _pos);
            int k = span.IndexOfAny(_delim, '\r', '\n');
            if (k < 0)
            {
                Append(span);
                _pos = _len;
                continue;
            }
            Append(span[..k]);
            _pos += k;
            char c = _buf[_pos++];
            if (c == _delim)
                return true;
            if (c == '\r' && (_pos < _len || Fill()) && _buf[_pos] == '\n')
                _pos++;
            _nextLine++;
            return false;
        }
    }

    /// <summary>Reads a quoted section after its opening quote; null when it closed, else why not.</summary>
    private string? ReadQuoted()
    {
        while (true)
        {
            if (_pos >= _len && !Fill())
                return "a quoted field is not closed before the end of the file";
            var span = _buf.AsSpan(_pos, _len - _pos);
            int k = span.IndexOf('"');
            var chunk = k < 0 ? span : span[..k];
            int nl = chunk.IndexOf('\n');
            if (nl >= 0)
            {
                if (!_capturing && !SpansLines)
                {
                    _capturing = true;
                    SpansLines = true;
                    _captureFrom = _pos + nl + 1;
                }
                _nextLine += chunk.Count('\n');
            }
            Append(chunk);
            if (k < 0)
                _pos = _len;
            else
                _pos += k + 1;
            if (SpansLines && (_nextLine - Line >= MaxRecordLines || _captureLen + (_pos - _captureFrom) > MaxCapture))
                return $"a quoted field runs over more than {MaxRecordLines} lines";
            if (k < 0)
                continue;
            if (_pos >= _len && !Fill())
                return null;
            if (_buf[_pos] != '"')
                return null;
            Append("\"");
            _pos++;
        }
    }

    private bool Fill()
    {
        if (_capturing)
        {
            Capture(_buf.AsSpan(_captureFrom, _len - _captureFrom));
            _captureFrom = 0;
        }
        if (_eof)
            return false;
        _pos = 0;
        _len = reader.Read(_buf, 0, _buf.Length);
        if (_len > 0)
            return true;
        _eof = true;
        return false;
    }

    private void Capture(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
            return;
        if (_captureLen + s.Length > _capture.Length)
            Array.Resize(ref _capture, Math.Max(_capture.Length * 2, _captureLen + s.Length));
        s.CopyTo(_capture.AsSpan(_captureLen));
        _captureLen += s.Length;
    }

    private void Append(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
            return;
        if (_charCount + s.Length > _chars.Length)
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _charCount + s.Length));
        s.CopyTo(_chars.AsSpan(_charCount));
        _charCount += s.Length;
    }

    private void EndField()
    {
        if (_fieldCount == _ends.Length)
            Array.Resize(ref _ends, _ends.Length * 2);
        _ends[_fieldCount++] = _charCount;
    }
}
