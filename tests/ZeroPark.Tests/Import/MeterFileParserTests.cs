using System.Text;
using ZeroPark.Domain;
using ZeroPark.Metering;
using ZeroPark.Storage.Import;

namespace ZeroPark.Tests.Import;

public class MeterFileParserTests
{
    private const string Header = "code,name,carrier,kind,unit,register_max,multiplier,space,system,role";

    private static (IReadOnlyList<MeterRow> Rows, IReadOnlyList<RowError> Errors) Parse(string csv) =>
        MeterFileParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv)));

    [Fact]
    public void The_optional_resets_normal_column_takes_true_false_1_0_and_是_否()
    {
        var (rows, errors) = Parse("""
            code,carrier,kind,unit,resets_normal
            a,electricity,cumulative,kWh,true
            b,electricity,cumulative,kWh,0
            c,electricity,cumulative,kWh,是
            d,electricity,cumulative,kWh,否
            e,electricity,cumulative,kWh,
            f,electricity,cumulative,kWh,TRUE
            g,electricity,cumulative,kWh,maybe
            h,electricity,interval,kWh,1
            """);
        Assert.Equal([("a", true), ("b", false), ("c", true), ("d", false), ("e", false), ("f", true)], rows.Select(r => (r.Code, r.ResetsNormal)));
        // Lines 8 and 9 (the header is line 1): a word that is no yes/no, and an interval meter.
        Assert.Equal([8, 9], errors.Select(e => e.Line));
        Assert.Contains("resets_normal: 'maybe' must be true or false", errors[0].Reason);
        Assert.Contains("resets_normal: applies to cumulative meters only", errors[1].Reason);
        // Without the column every meter's drops are suspected resets.
        Assert.False(Parse("code,carrier,kind,unit\nm1,water,cumulative,m3\n").Rows.Single().ResetsNormal);
    }

    [Fact]
    public void Valid_rows_are_read_with_defaults_for_empty_cells()
    {
        var (rows, errors) = Parse(Header + "\n"
            + "ups1_in,UPS1 输入,electricity,cumulative,kWh,1000000,80,dc1.hall1,power.ups,check\n"
            + "w-1.main,,water,interval,m3,,,,,water_input\n"
            + "chiller1,冷机1,electricity,power,kW,,,,cooling.chiller,\n");

        Assert.Empty(errors);
        Assert.Equal(3, rows.Count);
        Assert.Equal(
            new MeterRow(2, "ups1_in", "UPS1 输入", Carrier.Electricity, MeterKind.Cumulative, "kWh", 1_000_000, 80,
                "dc1.hall1", "power.ups", MeterRole.Check, 15, null, null, null),
            rows[0]);
        var w = rows[1];
        Assert.Equal(("w-1.main", "w-1.main", 1.0, MeterRole.WaterInput, 15), (w.Code, w.Name, w.Multiplier, w.Role, w.IntervalMinutes));
        Assert.Null(w.RegisterMax);
        Assert.Null(w.SpaceCode);
        Assert.Null(w.SystemCode);
        Assert.Equal((MeterKind.Power, MeterRole.Submeter, 4), (rows[2].Kind, rows[2].Role, rows[2].Line));
    }

    [Fact]
    public void Optional_columns_in_any_order_fill_interval_rate_device_and_formula()
    {
        var (rows, errors) = Parse(
            "formula,code,kind,carrier,unit,interval_minutes,max_rate,device\n"
            + "ups1_in - ups1_out,ups1_loss,interval,electricity,kWh,60,500,\n"
            + ",pump1,cumulative,electricity,MWh,5,,P-01\n");

        Assert.Empty(errors);
        Assert.Equal("ups1_in - ups1_out", rows[0].Formula);
        Assert.Equal((60, 500.0), (rows[0].IntervalMinutes, rows[0].MaxRatePerHour!.Value));
        Assert.Null(rows[1].Formula);
        Assert.Equal("P-01", rows[1].Device);
        Assert.Equal(5, rows[1].IntervalMinutes);
    }

    [Fact]
    public void Codes_keep_their_case_and_a_code_differing_only_by_case_is_a_duplicate()
    {
        // Issue 11: BMS exports spell codes M1, PDU-A1; they are kept as given and matched ignoring case.
        var (rows, errors) = Parse(Header + "\nUPS1_IN,x,electricity,cumulative,kWh,,,,,\nups1_in,x,electricity,cumulative,kWh,,,,,\n");

        Assert.Equal("UPS1_IN", Assert.Single(rows).Code);
        var e = Assert.Single(errors);
        Assert.Equal(3, e.Line);
        Assert.Equal("code: 'ups1_in' duplicates line 2", e.Reason);
    }

    [Theory]
    [InlineData("_ups", "code: '_ups' must match")]
    [InlineData("ups 1", "code: 'ups 1' must match")]
    [InlineData("", "code: empty")]
    public void Code_must_match_the_code_pattern(string code, string reason)
    {
        var (_, errors) = Parse(Header + $"\n{code},x,electricity,cumulative,kWh,,,,,\n");

        Assert.StartsWith(reason, Assert.Single(errors).Reason);
    }

    [Theory]
    [InlineData("m,x,coal,cumulative,kWh,,,,,", "carrier: 'coal' is unknown")]
    [InlineData("m,x,electricity,counter,kWh,,,,,", "kind: 'counter' is unknown")]
    [InlineData("m,x,electricity,cumulative,kWh,,,,,boss", "role: 'boss' is unknown")]
    [InlineData("m,x,water,cumulative,kWh,,,,,", "unit: 'kWh' does not fit carrier water (canonical unit m3)")]
    [InlineData("m,x,electricity,power,kWh,,,,,", "unit: 'kWh' is not a power unit (kW, MW, W)")]
    [InlineData("m,x,electricity,cumulative,,,,,,", "unit: empty")]
    [InlineData("m,x,electricity,cumulative,kWh,,,,cooling.magic,", "system: 'cooling.magic' is not a known system")]
    [InlineData("m,x,electricity,interval,kWh,99999,,,,", "register_max: only meaningful for cumulative meters")]
    [InlineData("m,x,electricity,cumulative,kWh,0,,,,", "register_max: must be greater than 0")]
    [InlineData("m,x,electricity,cumulative,kWh,,-2,,,", "multiplier: must be greater than 0")]
    [InlineData("m,x,electricity,cumulative,kWh,,x2,,,", "multiplier: 'x2' is not a number")]
    public void Invalid_cells_are_rejected_naming_the_field(string row, string reason)
    {
        var (rows, errors) = Parse(Header + "\n" + row + "\n");

        Assert.Empty(rows);
        var e = Assert.Single(errors);
        Assert.Equal(2, e.Line);
        Assert.StartsWith(reason, e.Reason);
    }

    [Fact]
    public void Interval_minutes_must_be_a_whole_number_within_a_day()
    {
        var (_, errors) = Parse("code,carrier,kind,unit,interval_minutes\na,water,interval,m3,0\nb,water,interval,m3,7.5\nc,water,interval,m3,1440\n");

        Assert.Equal(new[] { 2, 3 }, errors.Select(e => e.Line));
        Assert.All(errors, e => Assert.StartsWith("interval_minutes:", e.Reason));
    }

    [Fact]
    public void Duplicate_code_is_rejected_on_its_second_line()
    {
        var (rows, errors) = Parse(Header + "\nm1,a,water,cumulative,m3,,,,,\n\nm1,b,water,cumulative,m3,,,,,\n");

        Assert.Equal("a", Assert.Single(rows).Name);
        Assert.Equal(new RowError(4, "code: 'm1' duplicates line 2"), Assert.Single(errors));
    }

    [Fact]
    public void Missing_required_column_is_one_error_at_line_1()
    {
        var (rows, errors) = Parse("code,name,carrier,unit\nm1,a,water,m3\n");

        Assert.Empty(rows);
        Assert.Equal(new RowError(1, "header: missing column 'kind'"), Assert.Single(errors));
    }

    [Fact]
    public void Unknown_column_is_a_header_error_so_typos_are_not_ignored()
    {
        var (rows, errors) = Parse("code,carrier,kind,unit,registermax\nm1,water,cumulative,m3,999\n");

        Assert.Empty(rows);
        var e = Assert.Single(errors);
        Assert.Equal(1, e.Line);
        Assert.StartsWith("header: unknown column 'registermax'", e.Reason);
    }

    [Fact]
    public void Gbk_file_with_chinese_names_is_read()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding(936).GetBytes(Header + "\nchiller1,1号冷水机组,electricity,cumulative,千瓦时,,,,cooling.chiller,\n");

        var (rows, errors) = MeterFileParser.Parse(new MemoryStream(bytes));

        Assert.Empty(errors);
        var row = Assert.Single(rows);
        Assert.Equal("1号冷水机组", row.Name);
        Assert.Equal("千瓦时", row.Unit);
    }
}
