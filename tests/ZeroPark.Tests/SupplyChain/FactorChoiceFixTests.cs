using ZeroPark.Carbon;

namespace ZeroPark.Tests.SupplyChain;

/// <summary>Issue 14's fix (carbon module): supplier-level factors are used for the records of that supplier, and the trace's
/// "not used" list names the park's own records, not other provinces'.</summary>
public sealed class FactorChoiceFixTests
{
    private static readonly DateOnly From = new(2020, 1, 1);

    private static FactorRecord F(long id, string material, double value, string unit, FactorLevel level = FactorLevel.Default, string region = "", int? year = null,
        DateOnly? from = null, DateOnly? to = null, string gas = "CO2e") =>
        new() { Id = id, Dataset = "T", Material = material, Gas = gas, Value = value, Unit = unit, Level = level, Region = region, DataYear = year, ValidFrom = from ?? From, ValidTo = to };

    private static InventoryResult Run(FactorLibrary lib, params Activity[] acts) => InventoryCalculator.Compute(new InventoryRequest
    {
        Boundary = "p", From = new DateOnly(2025, 3, 1), To = new DateOnly(2025, 3, 31), Method = AccountingMethod.Ghgp, Gwp = GwpSet.AR6,
        Place = new Place("北京", "华北"), Activities = acts, Library = lib,
    });

    private static Activity A(long id, string material, double amount, string unit, string? supplier, string source = "capital_goods") =>
        new() { Id = id, Date = new DateOnly(2025, 3, 10), Source = source, Material = material, Amount = amount, Unit = unit, Supplier = supplier };

    [Fact]
    public void A_supplier_level_factor_is_used_for_that_suppliers_records_and_the_default_for_others()
    {
        var lib = new FactorLibrary([F(1, "ups_500kva", 9000, "kgCO2e/item"), F(2, "ups_500kva", 7200, "kgCO2e/item", FactorLevel.Supplier, "科华数据")]);
        var r = Run(lib, A(1, "ups_500kva", 2, "item", "科华数据"), A(2, "ups_500kva", 1, "item", "其他厂商"), A(3, "ups_500kva", 1, "item", null));
        Assert.Empty(r.Unresolved);
        // 科华数据: 2 × 7,200 kg = 14,400 kg = 14.4 t at the supplier level; the others: 1 × 9,000 = 9 t each at the default.
        var kehua = r.Lines.Single(l => l.Supplier == "科华数据");
        Assert.Equal(14.4, kehua.Co2eTonnes, 9);
        Assert.Equal(2, kehua.Factors[0].Id);
        Assert.Contains(kehua.Trace, t => t.StartsWith("factor basis: supplier-level factor of 科华数据", StringComparison.Ordinal));
        var other = r.Lines.Single(l => l.Supplier == "其他厂商");
        Assert.Equal(9, other.Co2eTonnes, 9);
        Assert.Contains(other.Trace, t => t.Contains("default factor — no supplier-specific footprint or factor of 'ups_500kva' from 其他厂商", StringComparison.Ordinal));
        Assert.Equal(9, r.Lines.Single(l => l.Supplier is null).Co2eTonnes, 9);
        // 14.4 + 9 + 9 = 32.4 t scope 3.
        Assert.Equal(32.4, r.Totals.Scope3T, 9);
    }

    [Fact]
    public void A_material_with_only_a_supplier_factor_is_no_longer_unresolved()
    {
        // Before the fix the place had no supplier, so a supplier-only material landed in "unresolved".
        var lib = new FactorLibrary([F(5, "cold_aisle_kit", 410, "kgCO2e/t", FactorLevel.Supplier, "ACME")]);
        var r = Run(lib, A(1, "cold_aisle_kit", 500, "kg", "ACME", "equipment"));
        Assert.Empty(r.Unresolved);
        // 500 kg = 0.5 t × 410 kgCO2e/t = 205 kg = 0.205 t.
        Assert.Equal(0.205, Assert.Single(r.Lines).Co2eTonnes, 9);
        var without = Run(lib, A(1, "cold_aisle_kit", 500, "kg", null, "equipment"));
        Assert.Single(without.Unresolved);
    }

    [Fact]
    public void Not_used_lists_the_parks_own_records_and_never_other_provinces()
    {
        var lib = new FactorLibrary(
        [
            F(10, "electricity", 0.5306, "kgCO2/kWh", FactorLevel.National, "CN", 2023, new DateOnly(2023, 1, 1), gas: "CO2"),
            F(11, "electricity", 0.58, "kgCO2/kWh", FactorLevel.Provincial, "北京", 2022, new DateOnly(2022, 1, 1), new DateOnly(2022, 12, 31), "CO2"),
            F(12, "electricity", 0.71, "kgCO2/kWh", FactorLevel.Provincial, "河北", 2022, new DateOnly(2022, 1, 1), new DateOnly(2025, 12, 31), "CO2"),
            F(13, "electricity", 0.69, "kgCO2/kWh", FactorLevel.Provincial, "山西", 2022, new DateOnly(2022, 1, 1), new DateOnly(2022, 12, 31), "CO2"),
        ]);
        var c = lib.Choose(FactorKind.Emission, "electricity", "CO2", new DateOnly(2025, 3, 1), AccountingMethod.Ghgp, new Place("北京市", "华北"))!;
        Assert.Equal(10, c.Record.Id);
        // 北京 2022 is the park's own, more specific record, out of date: listed. 河北 (valid, but another province) and 山西 are not.
        var passed = Assert.Single(c.PassedOver);
        Assert.Contains("北京", passed, StringComparison.Ordinal);
        Assert.Contains("not valid on 2025-03-01", passed, StringComparison.Ordinal);
        Assert.DoesNotContain(c.PassedOver, p => p.Contains("河北", StringComparison.Ordinal) || p.Contains("山西", StringComparison.Ordinal));
    }
}
