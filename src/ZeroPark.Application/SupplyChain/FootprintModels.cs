using System.Text.Json;
using ZeroPark.Carbon;
using ZeroPark.SupplyChain;

namespace ZeroPark.Application.SupplyChain;

/// <summary>A stage-by-stage LCA model as the CLI, API and page take it, with the footprint fields it is saved under.</summary>
public sealed record FootprintModelInput(string Product, string Supplier, string Category, LcaModel Model, string Verification = "unverified", string Verifier = "",
    DateOnly? ValidFrom = null, DateOnly? ValidTo = null, DateOnly? ReviewOn = null, string Note = "");

public static class FootprintModels
{
    private sealed class Dto
    {
        public string? Product { get; set; }
        public string? Supplier { get; set; }
        public string? Category { get; set; }
        public double Output { get; set; } = 1;
        public string? OutputUnit { get; set; }
        public List<ItemDto>? Items { get; set; }
        public string? Verification { get; set; }
        public string? Verifier { get; set; }
        public DateOnly? ValidFrom { get; set; }
        public DateOnly? ValidTo { get; set; }
        public DateOnly? ReviewOn { get; set; }
        public string? Note { get; set; }
    }

    private sealed class ItemDto
    {
        public string? Stage { get; set; }
        public string? Name { get; set; }
        public double Quantity { get; set; }
        public string? Unit { get; set; }
        public double Factor { get; set; }
        public string? FactorUnit { get; set; }
        public string? Source { get; set; }
    }

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, PropertyNameCaseInsensitive = true };

    /// <summary>Parses <c>{"product","supplier","category","output","output_unit","items":[{"stage","name","quantity","unit","factor","factor_unit","source"}],
    /// "verification","verifier","valid_from","valid_to","review_on","note"}</c>; each problem names its field or item.</summary>
    public static FootprintModelInput Parse(string json)
    {
        Dto dto;
        try
        {
            dto = JsonSerializer.Deserialize<Dto>(json, Options) ?? throw new ValidationException("model", "empty model");
        }
        catch (JsonException e)
        {
            throw new ValidationException("model", $"not a model JSON: {e.Message.Split('.')[0]}");
        }
        if (string.IsNullOrWhiteSpace(dto.Product)) throw new ValidationException("product", "product is empty");
        if (string.IsNullOrWhiteSpace(dto.Supplier)) throw new ValidationException("supplier", "supplier is empty");
        if (dto.Items is not { Count: > 0 }) throw new ValidationException("items", "the model has no items");
        var items = new List<LcaItem>();
        for (var i = 0; i < dto.Items.Count; i++)
        {
            var it = dto.Items[i];
            if (!Footprints.TryParseStage(it.Stage ?? "", out var stage)) throw new ValidationException("items", $"item {i + 1}: unknown stage '{it.Stage}'");
            items.Add(new LcaItem(stage, it.Name ?? $"item {i + 1}", it.Quantity, it.Unit ?? "", it.Factor, it.FactorUnit ?? it.Unit ?? "", it.Source ?? ""));
        }
        var model = new LcaModel(dto.Output, dto.OutputUnit ?? "item", items);
        try
        {
            LcaCalculator.Compute(model);
        }
        catch (CarbonException e)
        {
            throw new ValidationException("items", e.Message);
        }
        return new FootprintModelInput(dto.Product.Trim(), dto.Supplier.Trim(), dto.Category ?? "other", model, dto.Verification ?? "unverified", dto.Verifier ?? "",
            dto.ValidFrom, dto.ValidTo, dto.ReviewOn, dto.Note ?? "");
    }

    /// <summary>Stores the model's result as the product's footprint (origin model), and returns its id.</summary>
    public static async Task<long> SaveAsync(ZeroParkStore store, string park, FootprintModelInput input, string user, CancellationToken ct = default)
    {
        var result = LcaCalculator.Compute(input.Model);
        if (!Footprints.TryParseVerification(input.Verification, out var verification)) throw new ValidationException("verification", $"'{input.Verification}' is not third_party, self_declared or unverified");
        if (!Footprints.Categories.Contains(input.Category)) throw new ValidationException("category", $"'{input.Category}' is not one of {string.Join(", ", Footprints.Categories)}");
        var stages = result.Stages.Select(s => new StageAmount(s.Stage, s.KgPerUnit)).ToList();
        var f = new Footprint
        {
            Product = input.Product, Supplier = input.Supplier, Category = input.Category, Unit = result.Unit, KgCo2ePerUnit = result.KgPerUnit,
            Boundary = Footprints.BoundaryOf(stages), Stages = stages, DataSource = FootprintDataSource.Internal, Verification = verification, Verifier = input.Verifier,
            ValidFrom = input.ValidFrom ?? await store.SupplyChain.TodayAsync(park, ct), ValidTo = input.ValidTo, ReviewOn = input.ReviewOn, Model = input.Model,
            Origin = "model", Note = input.Note,
        };
        var r = await store.SupplyChain.ImportFootprintsAsync(park, [(1, f)], [], user, ct);
        if (r.Rejected.Count > 0) throw new ValidationException("model", r.Rejected[0].Reason);
        return (await store.SupplyChain.FootprintsAsync(park, ct)).First(x => x.Footprint.Product == f.Product && x.Footprint.Supplier == f.Supplier && x.Footprint.ValidFrom == f.ValidFrom).Footprint.Id;
    }
}
