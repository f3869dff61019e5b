namespace ZeroPark.Domain;

/// <summary>Database identity of a park.</summary>
public readonly record struct ParkId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Database identity of a space node (building, floor, room, rack).</summary>
public readonly record struct SpaceId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Database identity of a meter (physical or virtual). Also the id of its rollup series.</summary>
public readonly record struct MeterId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
