using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ZeroPark.Application.Carbon;
using ZeroPark.Application.Dashboards;
using ZeroPark.Application.Users;
using ZeroPark.Application.EnergyManagement;
using ZeroPark.Application.Readings;
using ZeroPark.Application.Registry;

namespace ZeroPark.Application;

/// <summary>The composition root of the application layer, used by the web server (<c>AddZeroPark</c>) and the CLI alike:
/// the clock, the store and every application service, as singletons.</summary>
public static class ZeroParkApplication
{
    /// <summary>Registers the application layer over the database named by <paramref name="db"/> (a SQLite file path or a
    /// PostgreSQL connection string). The store is opened and migrated once, at first use; <paramref name="configure"/> runs
    /// on it then (e.g. to set <see cref="Readings.ReadingStore.FutureTolerance"/>). The clock is the system clock; register another
    /// <see cref="TimeProvider"/> after this call to replace it (tests do).</summary>
    public static IServiceCollection AddZeroParkApplication(this IServiceCollection services, string db, Action<ZeroParkStore>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(db);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var store = ZeroParkStore.OpenAsync(db, sp.GetRequiredService<TimeProvider>()).GetAwaiter().GetResult();
            configure?.Invoke(store);
            return store;
        });
        // The module stores over the one database object.
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().Registry);
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().Readings);
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().Users);
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().Dashboards);
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().Tariffs);
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().Plans);
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().BalanceGroups);
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().Carbon);
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().ApiKeys);
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().Audit);
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().Queries);
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().Neutrality);
        // Energy, then carbon, then what builds on both (the order of the data flow).
        services.AddSingleton<EnergyCostService>();
        services.AddSingleton<EnergyPlanService>();
        services.AddSingleton<DeviceAnalysisService>();
        services.AddSingleton<CarbonService>();
        services.AddSingleton<CarbonAnalysisService>();
        // The energy KPI's CUE numerator: an energy-side interface the carbon module implements (energy does not call carbon).
        services.AddSingleton<ICueEmissionSource>(sp => sp.GetRequiredService<CarbonService>());
        services.AddSingleton<EnergyService>();
        services.AddSingleton<AssessmentService>();
        // Collection (issue 13): configuration store, health, and the runner of MQTT/Modbus/folder sources.
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().Collection).AddSingleton<Collection.CollectionHealthService>().AddSingleton<Collection.MeasurementService>().AddSingleton(sp => new Collection.CollectionRunner(sp.GetRequiredService<ZeroParkStore>(), sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        // Neutrality: the ledger, neutrality rate and T/CA305 offsets, targets, 24×7 matching, reduction measures (over carbon and energy).
        services.AddSingleton<ZeroPark.Application.Neutrality.NeutralityService>();
        services.AddSingleton<ZeroPark.Application.Neutrality.MeasureService>();
        services.AddSingleton<ZeroPark.Application.Neutrality.TargetService>();
        services.AddSingleton<ZeroPark.Application.Neutrality.MatchingService>();
        // Evaluations (T/CA305, T/BFIA 043, green computing); T/CA305's S_DC from the neutrality ledger.
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().Evaluations);
        services.TryAddSingleton<Evaluations.IOffsetRatioSource, Evaluations.NeutralityOffsetRatioSource>();
        services.AddSingleton<Evaluations.EvaluationService>();
        // Reports: sealed inventories, report generation and archive, disclosure packs, schedules.
        Reports.ReportsModule.Register(services);
        // Alerts: rules over all of the above; targets and the neutrality rate from the neutrality module.
        services.AddSingleton(sp => sp.GetRequiredService<ZeroParkStore>().Alerts);
        services.AddSingleton<Alerts.IAlertTargets, Alerts.NeutralityAlertTargets>();
        services.AddSingleton<Alerts.AlertEngine>();
        services.AddSingleton<Alerts.AlertSender>();
        services.AddSingleton<Alerts.AlertWorker>();
        return services;
    }
}
