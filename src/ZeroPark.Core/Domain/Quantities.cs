using System.Globalization;

namespace ZeroPark.Domain;

// Quantities are value types with one canonical unit each and only the operators that make
// physical sense (style guide: "Energy * EmissionFactor -> Emissions", never "Energy + Emissions").
// Conversions to and from other units are explicit named members.

/// <summary>Energy, canonical unit kWh. 1 MWh = 1000 kWh; 1 GJ = 277.777… kWh (1 kWh = 3.6 MJ).</summary>
public readonly record struct Energy(double KilowattHours) : IComparable<Energy>
{
    public const double KilowattHoursPerGigajoule = 1000.0 / 3.6;
    public static Energy Zero => default;
    public static Energy FromKilowattHours(double v) => new(v);
    public static Energy FromMegawattHours(double v) => new(v * 1000.0);
    public static Energy FromGigajoules(double v) => new(v * KilowattHoursPerGigajoule);
    public double MegawattHours => KilowattHours / 1000.0;
    public double Gigajoules => KilowattHours / KilowattHoursPerGigajoule;
    public static Energy operator +(Energy a, Energy b) => new(a.KilowattHours + b.KilowattHours);
    public static Energy operator -(Energy a, Energy b) => new(a.KilowattHours - b.KilowattHours);
    public static Energy operator -(Energy a) => new(-a.KilowattHours);
    public static Energy operator *(Energy a, double k) => new(a.KilowattHours * k);
    public static Energy operator *(double k, Energy a) => new(a.KilowattHours * k);
    public static Energy operator /(Energy a, double k) => new(a.KilowattHours / k);
    /// <summary>Dimensionless ratio of two energies (e.g. PUE = total / IT).</summary>
    public static double operator /(Energy a, Energy b) => a.KilowattHours / b.KilowattHours;
    /// <summary>Average power over a duration.</summary>
    public static Power operator /(Energy a, TimeSpan d) => new(a.KilowattHours / d.TotalHours);
    public static bool operator <(Energy a, Energy b) => a.KilowattHours < b.KilowattHours;
    public static bool operator >(Energy a, Energy b) => a.KilowattHours > b.KilowattHours;
    public static bool operator <=(Energy a, Energy b) => a.KilowattHours <= b.KilowattHours;
    public static bool operator >=(Energy a, Energy b) => a.KilowattHours >= b.KilowattHours;
    public int CompareTo(Energy other) => KilowattHours.CompareTo(other.KilowattHours);
    public override string ToString() => KilowattHours.ToString("0.###", CultureInfo.InvariantCulture) + " kWh";
}

/// <summary>Power, canonical unit kW.</summary>
public readonly record struct Power(double Kilowatts) : IComparable<Power>
{
    public static Power FromKilowatts(double v) => new(v);
    public static Power FromMegawatts(double v) => new(v * 1000.0);
    public double Megawatts => Kilowatts / 1000.0;
    public static Power operator +(Power a, Power b) => new(a.Kilowatts + b.Kilowatts);
    public static Power operator -(Power a, Power b) => new(a.Kilowatts - b.Kilowatts);
    public static Power operator *(Power a, double k) => new(a.Kilowatts * k);
    public static double operator /(Power a, Power b) => a.Kilowatts / b.Kilowatts;
    /// <summary>Energy delivered by a constant power over a duration.</summary>
    public static Energy operator *(Power p, TimeSpan d) => new(p.Kilowatts * d.TotalHours);
    public static bool operator <(Power a, Power b) => a.Kilowatts < b.Kilowatts;
    public static bool operator >(Power a, Power b) => a.Kilowatts > b.Kilowatts;
    public static bool operator <=(Power a, Power b) => a.Kilowatts <= b.Kilowatts;
    public static bool operator >=(Power a, Power b) => a.Kilowatts >= b.Kilowatts;
    public int CompareTo(Power other) => Kilowatts.CompareTo(other.Kilowatts);
    public override string ToString() => Kilowatts.ToString("0.###", CultureInfo.InvariantCulture) + " kW";
}

/// <summary>Volume, canonical unit m³. 1 m³ = 1000 L.</summary>
public readonly record struct Volume(double CubicMetres)
{
    public static Volume FromCubicMetres(double v) => new(v);
    public static Volume FromLitres(double v) => new(v / 1000.0);
    public double Litres => CubicMetres * 1000.0;
    public static Volume operator +(Volume a, Volume b) => new(a.CubicMetres + b.CubicMetres);
    public static Volume operator -(Volume a, Volume b) => new(a.CubicMetres - b.CubicMetres);
    public static Volume operator *(Volume a, double k) => new(a.CubicMetres * k);
    public static double operator /(Volume a, Volume b) => a.CubicMetres / b.CubicMetres;
    public override string ToString() => CubicMetres.ToString("0.###", CultureInfo.InvariantCulture) + " m³";
}

/// <summary>Mass, canonical unit kg. 1 t = 1000 kg.</summary>
public readonly record struct Mass(double Kilograms)
{
    public static Mass FromKilograms(double v) => new(v);
    public static Mass FromTonnes(double v) => new(v * 1000.0);
    public double Tonnes => Kilograms / 1000.0;
    public static Mass operator +(Mass a, Mass b) => new(a.Kilograms + b.Kilograms);
    public static Mass operator -(Mass a, Mass b) => new(a.Kilograms - b.Kilograms);
    public static Mass operator *(Mass a, double k) => new(a.Kilograms * k);
    public static double operator /(Mass a, Mass b) => a.Kilograms / b.Kilograms;
    public override string ToString() => Kilograms.ToString("0.###", CultureInfo.InvariantCulture) + " kg";
}

/// <summary>
/// Greenhouse-gas emissions in CO2-equivalent, in kgCO2e or tCO2e (1 tCO2e = 1000 kgCO2e). Like an activity's
/// <see cref="Quantity"/>, an amount keeps the unit it was stated in and converts when read: <see cref="KilogramsCo2e"/> and
/// <see cref="TonnesCo2e"/> give it in either unit. Amounts of one unit add in that unit, so a sum of tonnes is the sum of the
/// tonne figures to the last bit (an inventory sums its lines in tCO2e, and its saved JSON and seals depend on those bits);
/// amounts of different units add in kg. Only the operators that make physical sense exist (no Emissions + Energy).
/// </summary>
public readonly struct Emissions : IEquatable<Emissions>, IComparable<Emissions>
{
    private readonly double _value;
    private readonly bool _tonnes;

    private Emissions(double value, bool tonnes)
    {
        _value = value;
        _tonnes = tonnes;
    }

    /// <summary>An amount in kgCO2e.</summary>
    [System.Text.Json.Serialization.JsonConstructor]
    public Emissions(double kilogramsCo2e) : this(kilogramsCo2e, false)
    {
    }

    public static Emissions Zero => default;
    public static Emissions FromKilogramsCo2e(double v) => new(v, false);
    public static Emissions FromTonnesCo2e(double v) => new(v, true);

    public double KilogramsCo2e => _tonnes ? _value * 1000.0 : _value;
    public double TonnesCo2e => _tonnes ? _value : _value / 1000.0;

    /// <summary>The same amount stated in tCO2e (kg / 1000 once, here): what inventory lines and totals hold.</summary>
    public Emissions ToTonnes() => _tonnes ? this : new(_value / 1000.0, true);

    public static Emissions operator +(Emissions a, Emissions b) =>
        a._tonnes == b._tonnes ? new(a._value + b._value, a._tonnes) : new(a.KilogramsCo2e + b.KilogramsCo2e, false);

    public static Emissions operator -(Emissions a, Emissions b) =>
        a._tonnes == b._tonnes ? new(a._value - b._value, a._tonnes) : new(a.KilogramsCo2e - b.KilogramsCo2e, false);

    public static Emissions operator -(Emissions a) => new(-a._value, a._tonnes);
    public static Emissions operator *(Emissions a, double k) => new(a._value * k, a._tonnes);
    public static Emissions operator *(double k, Emissions a) => new(a._value * k, a._tonnes);
    public static double operator /(Emissions a, Emissions b) => a._tonnes == b._tonnes ? a._value / b._value : a.KilogramsCo2e / b.KilogramsCo2e;
    public static bool operator ==(Emissions a, Emissions b) => a.Equals(b);
    public static bool operator !=(Emissions a, Emissions b) => !a.Equals(b);
    public static bool operator <(Emissions a, Emissions b) => a.CompareTo(b) < 0;
    public static bool operator >(Emissions a, Emissions b) => a.CompareTo(b) > 0;
    public static bool operator <=(Emissions a, Emissions b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Emissions a, Emissions b) => a.CompareTo(b) >= 0;

    /// <summary>Equal amounts are equal whatever unit they are stated in (compared in kg).</summary>
    public bool Equals(Emissions other) => _tonnes == other._tonnes ? _value.Equals(other._value) : KilogramsCo2e.Equals(other.KilogramsCo2e);
    public override bool Equals(object? obj) => obj is Emissions e && Equals(e);
    public override int GetHashCode() => KilogramsCo2e.GetHashCode();
    public int CompareTo(Emissions other) => _tonnes == other._tonnes ? _value.CompareTo(other._value) : KilogramsCo2e.CompareTo(other.KilogramsCo2e);

    public override string ToString() => KilogramsCo2e.ToString("0.###", CultureInfo.InvariantCulture) + " kgCO2e";
}

/// <summary>Sums of <see cref="Emissions"/>.</summary>
public static class EmissionsSums
{
    /// <summary>The sum in tCO2e, added left to right from 0 t (inventory lines, totals and subtotals are figures in tonnes: a sum of
    /// amounts stated in tonnes is the sum of their tonne figures to the last bit).</summary>
    public static Emissions SumTonnes(this IEnumerable<Emissions> amounts) => amounts.Aggregate(Emissions.FromTonnesCo2e(0), (s, x) => s + x);

    /// <inheritdoc cref="SumTonnes(IEnumerable{Emissions})"/>
    public static Emissions SumTonnes<T>(this IEnumerable<T> items, Func<T, Emissions> selector) => items.Select(selector).SumTonnes();
}

/// <summary>An electricity (or other energy) emission factor in kgCO2e per kWh.</summary>
public readonly record struct EnergyEmissionFactor(double KilogramsCo2ePerKilowattHour)
{
    /// <summary>tCO2/MWh is numerically equal to kgCO2/kWh.</summary>
    public static EnergyEmissionFactor FromTonnesPerMegawattHour(double v) => new(v);
    public static Emissions operator *(Energy e, EnergyEmissionFactor f) => new(e.KilowattHours * f.KilogramsCo2ePerKilowattHour);
    public static Emissions operator *(EnergyEmissionFactor f, Energy e) => e * f;
}
