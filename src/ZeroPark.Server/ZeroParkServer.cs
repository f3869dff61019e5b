using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ZeroPark.Server.Web;
using ZeroPark.Application;

namespace ZeroPark.Server;

/// <summary>The composition root shared by <c>Program</c> and <c>zeropark serve</c>.</summary>
public static class ZeroParkServer
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Builds the web application. Configuration: <c>ZeroPark:Db</c> (SQLite path or PostgreSQL connection string,
    /// default <c>zeropark.db</c>); URLs default to <see cref="DefaultUrl"/> (loopback only).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls(DefaultUrl);
        // Request-by-request framework logs drown what matters; raise them with Logging:LogLevel:Microsoft.AspNetCore=Information.
        if (string.IsNullOrEmpty(builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"]))
            builder.Logging.AddFilter("Microsoft.AspNetCore", Microsoft.Extensions.Logging.LogLevel.Warning);
        configure?.Invoke(builder);
        builder.Services.AddZeroPark(builder.Configuration);
        var app = builder.Build();
        app.MapZeroPark();
        return app;
    }

    /// <summary>Registers the store (opened and migrated once, at first use) and the API services.</summary>
    public static IServiceCollection AddZeroPark(this IServiceCollection services, IConfiguration configuration)
    {
        var db = configuration["ZeroPark:Db"] is { Length: > 0 } d ? d : "zeropark.db";
        services.AddZeroParkApplication(db, store =>
        {
            // How far past the server clock a reading may lie (hours, default 24): later readings are refused per row.
            if (configuration["ZeroPark:FutureToleranceHours"] is { Length: > 0 } h)
                store.Readings.FutureTolerance = double.TryParse(h, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var hours) && hours >= 0 && hours <= 24 * 3660
                    ? TimeSpan.FromHours(hours)
                    : throw new InvalidOperationException($"ZeroPark:FutureToleranceHours: '{h}' is not a number of hours between 0 and 87840");
        });
        services.AddSingleton(ImportLimitsConfig.Read(configuration));
        services.AddSingleton<ZeroPark.Application.Alerts.IMessageLocalizer, Web.CatalogMessageLocalizer>(); // notifications in the channel's language
        services.AddProblemDetails();
        services.AddZeroParkWeb();
        services.AddHostedService<Endpoints.CollectionHostedService>();
        if (configuration["ZeroPark:Reports:Scheduler"] != "false") services.AddHostedService<Web.ReportSchedulerHost>();
        services.AddZeroParkSecurity(configuration);
        services.AddOpenApi();
        services.AddHostedService<Web.AlertBackgroundService>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower));
        });
        // The strict JSON body reader of the endpoint handlers (a handler takes it as a parameter), over the API's JSON options.
        services.AddSingleton(sp => new Endpoints.ApiJson(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions));
        return services;
    }

    public static WebApplication MapZeroPark(this WebApplication app)
    {
        app.UseZeroParkForwardedHeaders();
        app.UseZeroParkErrors();
        app.UseZeroParkWeb();
        app.MapOpenApi();
        app.MapGet("/health", async (ZeroParkStore store) => Microsoft.AspNetCore.Http.Results.Ok(new { status = "ok", store = store.Kind.ToString().ToLowerInvariant(), schema = await store.SchemaVersionAsync() }));
        ZeroParkEndpoints.MapZeroParkEndpoints(app);
        app.MapZeroParkWeb();
        return app;
    }
}

/// <summary>Import limits (<see cref="Application.Readings.Import.ImportLimits"/>) from the configuration section <c>ZeroPark:Import</c>
/// (environment: <c>ZeroPark__Import__XlsxMaxExpandedBytes</c> …); unset keys keep their defaults.</summary>
public static class ImportLimitsConfig
{
    public static Application.Readings.Import.ImportLimits Read(IConfiguration configuration)
    {
        var limits = configuration.GetSection("ZeroPark:Import").Get<Application.Readings.Import.ImportLimits>() ?? Application.Readings.Import.ImportLimits.Default;
        if (limits.XlsxMaxExpandedBytes <= 0 || limits.XlsxMaxRows <= 0 || limits.XlsxMaxCells <= 0 || limits.XlsxMaxSharedStrings <= 0
            || limits.XlsxMaxSharedStringChars <= 0 || limits.XlsxMaxSeconds <= 0)
            throw new Application.ValidationException("ZeroPark:Import", "import limits must be positive numbers");
        return limits;
    }
}
