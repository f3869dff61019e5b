using ZeroPark.Reports;

namespace ZeroPark.Tests.Reports;

public sealed class SealDocumentTests
{
    private static SealDocument Doc(double value, string note) => new SealDocument()
        .Add("factor", "factor #2", ("value", value), ("note", note), ("valid_from", new DateOnly(2023, 1, 1)))
        .Add("activity", "activity record #7", ("amount", 1000.0), ("unit", "L"));

    [Fact]
    public void Canonical_text_is_sorted_escaped_and_reads_back_to_the_same_hashes()
    {
        var d = Doc(0.5306, "a=b\tc\\d\nline");
        // Sections sort before keys, fields by name; '=', tab, backslash and newline are escaped.
        Assert.Equal("activity\tactivity record #7\tamount=1000\tunit=L\n" +
                     "factor\tfactor #2\tnote=a\\=b\\tc\\\\d\\nline\tvalid_from=2023-01-01\tvalue=0.5306\n", d.Canonical());
        var back = SealDocument.Parse(d.Canonical());
        Assert.Equal(d.Canonical(), back.Canonical());
        Assert.Equal(d.SectionHashes(), back.SectionHashes());
        // SHA-256 of "abc" (FIPS 180-2 example): ba7816bf…
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SealDocument.Sha256("abc"));
    }

    [Fact]
    public void Numbers_are_written_in_their_shortest_round_trip_form()
    {
        Assert.Equal("0.1", SealDocument.Text(0.1));
        Assert.Equal("0", SealDocument.Text(-0.0));
        Assert.Equal("3120", SealDocument.Text(3120.0));
        Assert.Equal("0.30000000000000004", SealDocument.Text(0.1 + 0.2));
    }

    [Fact]
    public void Compare_names_changed_fields_and_added_or_removed_items()
    {
        var sealedDoc = Doc(0.5306, "x");
        var live = new SealDocument().Add("factor", "factor #2", ("value", 0.1), ("note", "x"), ("valid_from", new DateOnly(2023, 1, 1)))
            .Add("activity", "activity record #8", ("amount", 5.0), ("unit", "L"));
        var changes = SealDocument.Compare(sealedDoc, live).Select(c => c.Describe()).ToList();
        Assert.Equal(["activity record #7: removed", "factor #2: value 0.5306 → 0.1", "activity record #8: added (amount 5, unit L)"], changes);
    }

    [Fact]
    public void The_chain_hash_depends_on_the_previous_hash_and_every_section()
    {
        var h = Doc(0.5306, "x").SectionHashes();
        var a = SealDocument.ChainHash(SealDocument.Genesis, "p", 1, 100, "alice", h);
        Assert.NotEqual(a, SealDocument.ChainHash(a, "p", 1, 100, "alice", h));
        Assert.NotEqual(a, SealDocument.ChainHash(SealDocument.Genesis, "p", 1, 100, "alice", Doc(0.5307, "x").SectionHashes()));
        Assert.Equal(a, SealDocument.ChainHash(SealDocument.Genesis, "p", 1, 100, "alice", SealDocument.ParseSectionHashes(SealDocument.FormatSectionHashes(h))));
    }
}
