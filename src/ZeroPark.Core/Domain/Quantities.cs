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

/// <summary>Greenhouse-gas emissions in CO2-equivalent, canonical unit kgCO2e. 1 tCO2e = 1000 kgCO2e.</summary>
public readonly record struct Emissions(double KilogramsCo2e)
{
    public static Emissions Zero => default;
    public static Emissions FromKilogramsCo2e(double v) => new(v);
    public static Emissions FromTonnesCo2e(double v) => new(v * 1000.0);
    public double TonnesCo2e => KilogramsCo2e / 1000.0;
    public static Emissions operator +(Emissions a, Emissions b) => new(a.KilogramsCo2e + b.KilogramsCo2e);
    public static Emissions operator -(Emissions a, Emissions b) => new(a.KilogramsCo2e - b.KilogramsCo2e);
    public static Emissions operator *(Emissions a, double k) => new(a.KilogramsCo2e * k);
    public static double operator /(Emissions a, Emissions b) => a.KilogramsCo2e / b.KilogramsCo2e;
    public override string ToString() => KilogramsCo2e.ToString("0.###", CultureInfo.InvariantCulture) + " kgCO2e";
}

/// <summary>An electricity (or other energy) emission factor in kgCO2e per kWh.</summary>
public readonly record struct EnergyEmissionFactor(double KilogramsCo2ePerKilowattHour)
{
    /// <summary>tCO2/MWh is numerically equal to kgCO2/kWh.</summary>
    public static EnergyEmissionFactor FromTonnesPerMegawattHour(double v) => new(v);
    public static Emissions operator *(Energy e, EnergyEmissionFactor f) => new(e.KilowattHours * f.KilogramsCo2ePerKilowattHour);
    public static Emissions operator *(EnergyEmissionFactor f, Energy e) => e * f;
}
