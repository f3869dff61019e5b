using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;
using ZeroPark.Domain;
using ZeroPark.Application;

namespace ZeroPark.Server.Endpoints;

/// <summary>JSON options of the API: the host's snake_case options, and a strict copy for request bodies that rejects
/// unknown properties (a misspelt <c>time_zone</c> must not silently create a park in the default zone).</summary>
internal sealed class ApiJson(JsonSerializerOptions web)
{
    public JsonSerializerOptions Web { get; } = web;

    public JsonSerializerOptions Strict { get; } = new(web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <summary>Reads a JSON body. Malformed JSON, a wrong type or an unknown property is a 400 naming the field.</summary>
    public async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Strict, ct)
                ?? throw new ValidationException("body", "a JSON object is required");
        }
        catch (JsonException e)
        {
            throw Invalid(e);
        }
    }

    /// <summary>Reads a JSON body as a node (object or array).</summary>
    public static async Task<JsonNode> ReadNodeAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: ct)
                ?? throw new ValidationException("body", "a JSON object is required");
        }
        catch (JsonException e)
        {
            throw Invalid(e);
        }
    }

    public T Convert<T>(JsonNode node) where T : class
    {
        try
        {
            return node.Deserialize<T>(Strict) ?? throw new ValidationException("body", "a JSON object is required");
        }
        catch (JsonException e)
        {
            throw Invalid(e);
        }
    }

    /// <summary>PUT semantics: the body is merged onto the current resource (RFC 7396 style, one level): properties
    /// left out keep their current value, properties set to null are cleared.</summary>
    public async Task<T> ReadMergedAsync<T>(HttpRequest request, T current, CancellationToken ct) where T : class
    {
        if (await ReadNodeAsync(request, ct) is not JsonObject patch)
            throw new ValidationException("body", "expected a JSON object");
        var merged = JsonSerializer.SerializeToNode(current, Web)!.AsObject();
        foreach (var (key, value) in patch)
        {
            var existing = merged.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            if (existing is not null) merged.Remove(existing);
            merged[key] = value?.DeepClone();
        }
        return Convert<T>(merged);
    }

    /// <summary>A 400 for a JSON error, naming the field from the exception path (<c>$.design_it_kw</c> → <c>design_it_kw</c>).</summary>
    public static ValidationException Invalid(JsonException e)
    {
        var path = e.Path;
        var message = e.Message;
        // A wrong type or an unknown property is the fault of one field; a syntax error is the body's.
        var aboutField = message.Contains("could not be converted", StringComparison.Ordinal) || message.Contains("could not be mapped", StringComparison.Ordinal);
        var field = !aboutField || path is null or "$" or "" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        var unmapped = Regex.Match(message, "The JSON property '([^']*)' could not be mapped");
        if (unmapped.Success)
        {
            field = path is null or "$" or "" ? unmapped.Groups[1].Value : field;
            message = $"unknown property '{unmapped.Groups[1].Value}'";
        }
        var converted = Regex.Match(message, @"could not be converted to (System\.Nullable`1\[)?System\.(\w+)");
        if (converted.Success)
        {
            message = converted.Groups[2].Value switch
            {
                "Double" or "Single" or "Decimal" => "expected a number",
                "Int32" or "Int64" => "expected an integer",
                "String" => "expected a string",
                "DateOnly" => "expected a date (YYYY-MM-DD)",
                "Boolean" => "expected true or false",
                var t => $"expected a {t}",
            };
        }
        return new ValidationException(field, $"invalid JSON: {message}");
    }
}

/// <summary>Parsing of query parameters: every failure is a 400 ValidationProblem naming the parameter.</summary>
internal static partial class Query
{
    public static DateOnly Date(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ValidationException(name, $"'{name}' is required (a local date, YYYY-MM-DD)");
        return DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new ValidationException(name, $"'{name}': '{value}' is not a date (expected YYYY-MM-DD)");
    }

    public static int Int(string? value, string name, int fallback, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        if (!int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new ValidationException(name, $"'{name}': '{value}' is not an integer between {min} and {max}");
        return n;
    }

    public static Carrier? Carrier(string? value, string name = "carrier")
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return Codes.TryCarrier(value, out var c)
            ? c
            : throw new ValidationException(name, $"unknown carrier '{value}' (expected one of {string.Join(", ", Codes.Carriers.Select(Codes.Of))})");
    }

    public static MeterRole? Role(string? value, string name = "role")
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return Codes.TryRole(value, out var r)
            ? r
            : throw new ValidationException(name, $"unknown role '{value}' (expected one of {string.Join(", ", Codes.Roles.Select(Codes.Of))})");
    }

    public static string? SystemCode(string? value, string name = "system")
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var v = value.Trim();
        return SystemTaxonomy.IsKnown(v) ? v : throw new ValidationException(name, $"unknown system '{value}' (see GET /api/systems)");
    }

    public static Granularity Granularity(string? value, string name = "by")
    {
        if (string.IsNullOrWhiteSpace(value)) return Domain.Granularity.Day;
        return value.Trim().ToLowerInvariant() switch
        {
            "15min" or "15m" or "quarter_hour" => Domain.Granularity.QuarterHour,
            "hour" => Domain.Granularity.Hour,
            "day" => Domain.Granularity.Day,
            "month" => Domain.Granularity.Month,
            "year" => Domain.Granularity.Year,
            _ => throw new ValidationException(name, $"'{name}': '{value}' is not one of 15min, hour, day, month, year"),
        };
    }

    public static string Name(Granularity g) => g switch
    {
        Domain.Granularity.QuarterHour => "15min",
        Domain.Granularity.Hour => "hour",
        Domain.Granularity.Day => "day",
        Domain.Granularity.Month => "month",
        _ => "year",
    };

    /// <summary>An instant in a JSON body: an ISO 8601 string with a UTC offset (or Z), or Unix seconds. A local time
    /// without offset is refused rather than guessed.</summary>
    public static DateTimeOffset Instant(JsonElement? value, string name)
    {
        switch (value)
        {
            case null:
            case { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }:
                throw new ValidationException(name, $"'{name}' is required (ISO 8601 with offset, e.g. 2025-01-01T00:15:00+08:00)");
            case { ValueKind: JsonValueKind.Number } n:
                if (n.TryGetInt64(out var seconds) && seconds is > -62_135_596_800 and < 253_402_300_799)
                    return DateTimeOffset.FromUnixTimeSeconds(seconds);
                throw new ValidationException(name, $"'{name}': {n.GetRawText()} is not a Unix time in seconds");
            case { ValueKind: JsonValueKind.String } s:
                var text = s.GetString()!.Trim();
                if (!HasOffset(text))
                    throw new ValidationException(name, $"'{name}': '{text}' has no UTC offset (write e.g. +08:00 or Z)");
                return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
                    ? t
                    : throw new ValidationException(name, $"'{name}': '{text}' is not an ISO 8601 timestamp");
            default:
                throw new ValidationException(name, $"'{name}': expected an ISO 8601 string or Unix seconds");
        }
    }

    private static bool HasOffset(string s) =>
        s.EndsWith('Z') || s.EndsWith('z') || OffsetSuffix().IsMatch(s);

    [GeneratedRegex(@"[T ]\d.*[+-]\d{2}(:?\d{2})?$")]
    private static partial Regex OffsetSuffix();
}

/// <summary>Reads request bodies of the ingest routes: Content-Encoding gzip/deflate/br is undone (Telegraf's
/// influxdb_v2 output gzips by default), and the decoded body is capped.</summary>
internal static class RequestBody
{
    public const long MaxDecodedBytes = 64L * 1024 * 1024;

    public static async Task<(string? Text, ProblemHttpResult? Error)> ReadTextAsync(HttpRequest request, CancellationToken ct)
    {
        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        Stream source = request.Body;
        Stream? decoder = encoding switch
        {
            "" or "identity" => null,
            "gzip" or "x-gzip" => new GZipStream(source, CompressionMode.Decompress, leaveOpen: true),
            "deflate" => new ZLibStream(source, CompressionMode.Decompress, leaveOpen: true),
            "br" => new BrotliStream(source, CompressionMode.Decompress, leaveOpen: true),
            _ => Stream.Null,
        };
        if (decoder == Stream.Null)
            return (null, TypedResults.Problem($"Content-Encoding '{encoding}' is not supported (use gzip, deflate, br or none)",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content encoding"));
        await using (decoder)
        {
            var input = decoder ?? source;
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            try
            {
                int n;
                while ((n = await input.ReadAsync(chunk, ct)) > 0)
                {
                    if (buffer.Length + n > MaxDecodedBytes)
                        return (null, TypedResults.Problem($"the request body is larger than {MaxDecodedBytes / 1024 / 1024} MiB; send smaller batches",
                            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large"));
                    buffer.Write(chunk, 0, n);
                }
            }
            catch (InvalidDataException e)
            {
                return (null, TypedResults.Problem($"the body is not valid {encoding}: {e.Message}", statusCode: StatusCodes.Status400BadRequest, title: "Bad request"));
            }
            return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
        }
    }
}

/// <summary>Documents request bodies of the ingest routes in the OpenAPI document without restricting the request's
/// Content-Type (gateways send text/plain, application/octet-stream or nothing at all).</summary>
internal static class OpenApiDocs
{
    public static RouteHandlerBuilder DocumentBody(this RouteHandlerBuilder builder, Type? jsonType, string? textType = null, bool multipart = false) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var content = new Dictionary<string, OpenApiMediaType>();
            if (jsonType is not null)
                content["application/json"] = new OpenApiMediaType { Schema = await context.GetOrCreateSchemaAsync(jsonType, null, ct) };
            if (textType is not null)
                content[textType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            if (multipart)
            {
                content["multipart/form-data"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "file" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "CSV, TXT or XLSX file" },
                            ["mapping"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "optional JSON column mapping" },
                        },
                    },
                };
            }
            operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
        });
}
