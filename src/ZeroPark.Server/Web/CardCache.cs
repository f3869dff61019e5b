using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Routing;
using ZeroPark.Application;

namespace ZeroPark.Server.Web;

/// <summary>
/// A small in-memory cache of the figures behind dashboard cards and analysis pages (KPI, breakdown, flow, top, series, cost
/// answers), so that many users looking at the same dashboards do not recompute the same month of readings. An entry is used only
/// while the park's data fingerprint (<see cref="ZeroParkStore.DataFingerprintAsync"/>: registry version, latest readings, newest
/// audit entry) is unchanged, and never longer than <see cref="MaxAge"/>; the fingerprint itself is re-read at most once per
/// <see cref="FingerprintAge"/> (and after every write request to this server, <see cref="Invalidate"/>), so a reading written by
/// another process shows within about a second, one written through this server at once. Concurrent requests for the same key share one
/// computation. Access rules run before the cache (the user filter of the API group; pages check the park first), and the key
/// is the park plus the full request, so an answer is only ever served for the same park and parameters.
/// </summary>
public sealed class CardCache(ZeroParkStore store)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan FingerprintAge = TimeSpan.FromSeconds(1);
    private const int MaxEntries = 2000;

    private sealed record Entry(string Fingerprint, DateTime At, Lazy<Task<object?>> Value);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Fingerprint, DateTime At)> _fingerprints = new(StringComparer.Ordinal);

    /// <summary>The routes (GET) whose answers are cached.</summary>
    private static readonly string[] Cached = ["/energy/kpi", "/energy/breakdown", "/energy/flow", "/energy/top", "/energy/cost", "/series"];

    private async Task<string> FingerprintAsync(string park, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        if (_fingerprints.TryGetValue(park, out var f) && now - f.At < FingerprintAge) return f.Fingerprint;
        var fp = await store.DataFingerprintAsync(park, ct);
        _fingerprints[park] = (fp, now);
        return fp;
    }

    /// <summary>Forgets the fingerprints, so that the next request re-reads them: called after every request that may write (any
    /// method but GET and HEAD, API or page), so a change made through this server shows at once.</summary>
    public void Invalidate() => _fingerprints.Clear();

    /// <summary>The cached value of <paramref name="key"/> for the park, or the factory's (computed once for concurrent callers).
    /// A failed computation is not kept.</summary>
    public async Task<T> GetAsync<T>(string park, string key, Func<Task<T>> factory, CancellationToken ct)
    {
        var fp = await FingerprintAsync(park, ct);
        var full = park + "\n" + key;
        var now = DateTime.UtcNow;
        if (_entries.TryGetValue(full, out var e) && e.Fingerprint == fp && now - e.At < MaxAge && !e.Value.Value.IsFaulted && !e.Value.Value.IsCanceled)
            return (T)(await e.Value.Value)!;
        if (_entries.Count >= MaxEntries) _entries.Clear();
        var fresh = new Entry(fp, now, new Lazy<Task<object?>>(async () => await factory()));
        var used = _entries.AddOrUpdate(full, fresh, (_, old) =>
            old.Fingerprint == fp && now - old.At < MaxAge && !old.Value.Value.IsFaulted && !old.Value.Value.IsCanceled ? old : fresh);
        try
        {
            return (T)(await used.Value.Value)!;
        }
        catch
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(full, used));
            throw;
        }
    }

    /// <summary>The endpoint filter of the signed-in API group: caches successful JSON answers of <see cref="Cached"/> routes.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext ic, EndpointFilterDelegate next)
    {
        var ctx = ic.HttpContext;
        var pattern = (ctx.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";
        if (!HttpMethods.IsGet(ctx.Request.Method) || !Cached.Any(c => pattern.EndsWith(c, StringComparison.Ordinal))
            || ctx.Request.RouteValues["park"] is not string park || ctx.Request.Query.ContainsKey("format"))
            return await next(ic);
        var cache = ctx.RequestServices.GetRequiredService<CardCache>();
        var json = ctx.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var cached = await cache.GetAsync(park, pattern + ctx.Request.QueryString.Value, async () =>
        {
            var result = await next(ic);
            var inner = result is INestedHttpResult nested ? nested.Result : result;
            // A successful JSON answer is kept serialized: a hit then only copies bytes.
            return inner is IStatusCodeHttpResult { StatusCode: 200 } and IValueHttpResult { Value: { } value }
                ? new JsonBytes(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), json))
                : result;
        }, ctx.RequestAborted);
        return cached is JsonBytes b ? Results.Bytes(b.Utf8, "application/json; charset=utf-8") : cached;
    }

    private sealed record JsonBytes(byte[] Utf8);
}
