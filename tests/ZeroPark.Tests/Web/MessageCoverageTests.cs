using System.Globalization;
using System.Text.RegularExpressions;
using ZeroPark.Server.Web;

namespace ZeroPark.Tests.Web;

/// <summary>Every machine-written message of Core and Application (each literal found in their sources, see
/// <see cref="MessageLiterals"/>) has a Chinese rendering in Resources/Messages.resx: a new English message without one
/// fails here, naming its file and line.</summary>
public sealed partial class MessageCoverageTests
{
    [Fact]
    public void Every_message_literal_of_core_and_application_is_chinese_in_the_chinese_ui()
    {
        var literals = MessageLiterals.Scan(Path.Combine("src", "ZeroPark.Core"), Path.Combine("src", "ZeroPark.Application")).ToList();
        // The scan itself works: it finds the messages this test's neighbours know by heart.
        Assert.True(literals.Count > 500, $"only {literals.Count} message literals found");
        Assert.Contains(literals, l => l.Format == "meter: unknown meter code '{0}' in park '{1}'");
        var missing = new List<string>();
        var (ui, c) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("zh-CN");
        try
        {
            foreach (var (format, where) in literals.Where(l => !NotShown.Contains(l.Format)))
            {
                // Each placeholder becomes a non-ASCII marker, so an argument never counts as English in the rendering.
                var sample = Hole().Replace(format, m => "〔" + m.Groups[1].Value + "〕").Replace("{{", "{", StringComparison.Ordinal).Replace("}}", "}", StringComparison.Ordinal);
                var zh = UiText.M(sample);
                if (ReferenceEquals(zh, sample) || zh == sample || EnglishProse.HasEnglishSentence(zh)) missing.Add($"{where}: {format}");
            }
        }
        finally { (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, c); }
        Assert.True(missing.Count == 0, $"{missing.Count} messages without Chinese:\n" + string.Join("\n", missing));
    }

    /// <summary>Literals the scan finds that never reach a reader of the UI (each says why).</summary>
    private static readonly HashSet<string> NotShown = new(StringComparer.Ordinal)
    {
        // SQL column lists and fragments
        // t19: the footprint store's column list; PACT declared-unit names matched, never shown
        "id AS Id, product AS Product, supplier AS Supplier, category AS Category, unit AS Unit, kgco2e_per_unit AS Kg, boundary AS Boundary, stages AS Stages, data_source AS Source, verification AS Verification, verifier AS Verifier, valid_from AS \"From\", valid_to AS \"To\", review_on AS Review, model AS Model, origin AS Origin, note AS Note, created_by AS CreatedBy, updated_by AS UpdatedBy",
        "cubic meter", "kilowatt hour", "ton kilometer",
        // t19g: PACT v2 enumeration values matched, never shown alone; a JSON path built from a field name
        "square meter", "corporate level", "product line", "product level", "pcf.dqi.{0}",
        ", sum = excluded.sum, nflag = excluded.nflag, nest = excluded.nest", ", sum, nflag, nest", "{0}, day, n, data{1}",
        "id, name, password_hash, role, must_change_password, disabled, failed_count, locked_until, security_stamp, created_at, last_sign_in",
        "id, name, template, position, cards, created_at, updated_at",
        // guards against programming errors and corrupt storage (an internal error, never a message to a user)
        "R must be a finite number", "hours must be distinct and in time order", "hour instants before 1970 are not supported", "hour block",
        "reading chunk", "flags {0} do not fit a reading chunk", "corrupt {0}: varint too long", "at least one sheet is required",
        "range end {0} is before its start {1}", "load, supply and hours must have the same length", "12 months expected",
        // build and start-up errors for the operator (server log and console)
        "builtin-factors.csv is not embedded", "common-passwords.txt is not embedded", "two {0} migrations are numbered {1}; renumber one ({2})",
        "Argon2 memory: 8 KiB per lane .. 4 GiB",
        // stored codes and formats, not prose: a plan's basis, an inventory's options key, a timestamp format, the bench's table header
        "decomposed:group:{0}", "factor basis: ", "grid={0};residual={1}", "yyyy-MM-dd HH:mm:ss.fff", "ingest phase            wall ms     cpu ms   alloc MB   gen0 GCs",
        // the import timeline of ZEROPARK_INGEST_PROFILE=1 (a developer's diagnostic on stderr)
        "moment since process start  wall ms     cpu ms   alloc MB   gen0 GCs", "import: first batch parsed",
        // a SQL column list (supply chain)
        "id AS Id, product AS Product, supplier AS Supplier, category AS Category, unit AS Unit, kgco2e_per_unit AS Kg, boundary AS Boundary, stages AS Stages, data_source AS Source, verification AS Verification, verifier AS Verifier, valid_from AS \"From\", valid_to AS \"To\", review_on AS Review, model AS Model, origin AS Origin, note AS Note, created_by AS CreatedBy, updated_by AS UpdatedBy",
        // alerts: SQL column lists and a DingTalk robot URL's query string
        "id, code, kind, name, params, severity, enabled, muted_until, renotify_minutes, updated_at, updated_by",
        "a.id, r.code AS rule, r.kind, a.subject, a.period, a.severity, a.status, a.message, a.value, a.normal, a.details, a.raised_at, a.ack_at, a.ack_by, a.resolved_at, a.resolved_by, a.comment, a.last_notified_at, a.notify_count",
        // t19g: the same column list with the rule's parameters (an alert's KPIs)
        "a.id, r.code AS rule, r.kind, a.subject, a.period, a.severity, a.status, a.message, a.value, a.normal, a.details, a.raised_at, a.ack_at, a.ack_by, a.resolved_at, a.resolved_by, a.comment, a.last_notified_at, a.notify_count, r.params AS rule_params",
        "timestamp={0}&sign={1}",
        // Chromium's command line, a date format and the report's HTML markup; a field path (the field is named by its code)
        "--user-data-dir={0}", "--print-to-pdf={0}", "yyyy-MM-dd HH:mm zzz", "\"><head><meta charset=\"utf-8\">", "items.{0}.note",
        // guards against programming errors (a non-finite KPI reaching the scoring, a report text key missing from the code)
        "must be a finite number", "report text '{0}' missing",
        // structured log templates of the collectors (ILogger named holes, written to the server log, which is not localised)
        "collection: stopped {{Source}}", "collection: {{Source}} ended: {{Reason}}", "collection: started {{Source}}", "collection: configuration not read: {{Reason}}",
        "folder {{Source}}: {{File}} {{Outcome}}: {{Accepted}} accepted, {{Duplicates}} duplicates, {{Rejected}} rejected", "folder {{Name}}: health not recorded: {{Reason}}",
        "modbus {{Device}}: poll failed: {{Reason}}", "modbus {{Device}}: reading rejected: {{Reason}}", "modbus {{Device}}: health not recorded: {{Reason}}",
        "mqtt {{Name}}: {{Reason}}; reconnecting in {{Seconds}} s", "mqtt {{Name}}: message on {{Topic}} refused: {{Reason}} (payload {{Payload}})",
        "mqtt {{Name}}: subscribed to {{Filter}} on {{Host}}:{{Port}} (client id {{ClientId}}, session present: {{Present}})",
        "mqtt {{Name}}: reading on {{Topic}} rejected: {{Reason}}", "mqtt {{Name}}: health not recorded: {{Reason}}",
        // neutrality: audit-log keys and reasons (stored as written), substrings the store matches to tell a conflict from a bad field,
        // and guards of the pure arithmetic against a programming error
        "{0} every {1} from {2}", "{0} boundary {1} baseline {2}…{3} start {4}", "ledger import line {0}", "claimed once", "counted once", "never again",
        "12 months expected", "load, supply and hours must have the same length",
    };

    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex Hole();
}
