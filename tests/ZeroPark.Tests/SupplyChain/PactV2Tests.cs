using System.Text;
using ZeroPark.Application.SupplyChain;
using ZeroPark.SupplyChain;

namespace ZeroPark.Tests.SupplyChain;

/// <summary>
/// The PACT v2 import against the Technical Specifications for PCF Data Exchange v2 (https://wbcsd.github.io/tr/2023/data-exchange-protocol-20231207/,
/// §4 Data Model): a document shaped as the specification's example (<c>{"data": [ProductFootprint…]}</c>, decimals as strings), two
/// valid footprints and three bad ones in the same file.
/// </summary>
public sealed class PactV2Tests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    // Written after the specification's example response (spec/v2/examples/get-footprint-response.json); products of a data centre.
    private const string Document = """
        {
          "data": [
            {
              "id": "5f3b2c1a-8d4e-4f6a-9b7c-2e1d0a9f8c7b",
              "specVersion": "2.0.0",
              "version": 1,
              "created": "2025-02-10T08:00:00Z",
              "status": "Active",
              "validityPeriodStart": "2025-01-01T00:00:00Z",
              "validityPeriodEnd": "2027-01-01T00:00:00Z",
              "companyName": "双登集团",
              "companyIds": ["urn:uuid:7c1e6a52-3b0f-4d8e-a1c2-9e5b4f3a2d10"],
              "productDescription": "LFP battery module 51.2 V 100 Ah for UPS, unpackaged",
              "productIds": ["urn:pathfinder:product:customcode:vendor-assigned:SD-LFP-5120"],
              "productCategoryCpc": "46410",
              "productNameCompany": "lfp_module_5120",
              "comment": "",
              "pcf": {
                "declaredUnit": "kilogram",
                "unitaryProductAmount": "32.5",
                "pCfExcludingBiogenic": "11.2",
                "pCfIncludingBiogenic": "11.25",
                "fossilGhgEmissions": "11.0",
                "fossilCarbonContent": "0",
                "biogenicCarbonContent": "0",
                "characterizationFactors": "AR6",
                "crossSectoralStandardsUsed": ["GHG Protocol Product standard", "ISO Standard 14067"],
                "productOrSectorSpecificRules": [],
                "boundaryProcessesDescription": "cell materials and production, module assembly, transport to the factory gate",
                "referencePeriodStart": "2024-01-01T00:00:00Z",
                "referencePeriodEnd": "2025-01-01T00:00:00Z",
                "geographyCountry": "CN",
                "exemptedEmissionsPercent": 1.2,
                "exemptedEmissionsDescription": "office energy",
                "packagingEmissionsIncluded": false,
                "primaryDataShare": 56.8,
                "dqi": {"coveragePercent": 90, "technologicalDQR": 1.6, "temporalDQR": 1.4, "geographicalDQR": 1.2, "completenessDQR": 1.5, "reliabilityDQR": 1.8},
                "assurance": {"assurance": true, "coverage": "product level", "level": "reasonable", "boundary": "Cradle-to-Gate",
                              "providerName": "中国质量认证中心", "completedAt": "2025-02-01T00:00:00Z"}
              }
            },
            {
              "id": "urn:uuid:0b6e1f52-4c7d-4a1e-8f3b-5d2c9a7e6b41",
              "specVersion": "2.1.0",
              "version": 0,
              "created": "2025-03-01T00:00:00Z",
              "status": "Active",
              "companyName": "华东机房工程",
              "companyIds": ["urn:pathfinder:company:customcode:buyer-assigned:4321"],
              "productDescription": "raised floor panel 600 × 600 mm, steel with cement core",
              "productIds": ["urn:pathfinder:product:customcode:buyer-assigned:RF-600"],
              "productCategoryCpc": "42999",
              "productNameCompany": "raised_floor_panel_600",
              "comment": "",
              "pcf": {
                "declaredUnit": "square meter",
                "unitaryProductAmount": "0.36",
                "pCfExcludingBiogenic": "25",
                "fossilGhgEmissions": "24.5",
                "fossilCarbonContent": "0",
                "biogenicCarbonContent": "0",
                "characterizationFactors": "AR5",
                "crossSectoralStandardsUsed": ["ISO Standard 14067"],
                "boundaryProcessesDescription": "steel sheet, cement, forming, curing",
                "referencePeriodStart": "2024-01-01T00:00:00Z",
                "referencePeriodEnd": "2025-01-01T00:00:00Z",
                "exemptedEmissionsPercent": 0,
                "exemptedEmissionsDescription": "",
                "packagingEmissionsIncluded": false,
                "assurance": {"assurance": false, "providerName": ""}
              }
            },
            {
              "id": "2a4c6e80-1b3d-4f5a-8c7e-9d0b1a2c3e4f", "specVersion": "2.0.0", "version": 1, "created": "2025-02-10T08:00:00Z", "status": "Active",
              "companyName": "X", "companyIds": ["urn:uuid:x"], "productDescription": "", "productIds": ["urn:x"], "productCategoryCpc": "1",
              "productNameCompany": "piece_goods", "comment": "",
              "pcf": {"declaredUnit": "piece", "unitaryProductAmount": "0", "pCfExcludingBiogenic": "3", "fossilGhgEmissions": "3",
                      "referencePeriodStart": "2024-01-01T00:00:00Z", "referencePeriodEnd": "2025-01-01T00:00:00Z", "exemptedEmissionsPercent": 7}
            },
            {
              "id": "f1", "specVersion": "2.0.0", "version": 1, "created": "2025-02-10T08:00:00Z", "status": "Active",
              "validityPeriodStart": "2025-01-01T00:00:00Z", "validityPeriodEnd": "2029-01-01T00:00:00Z",
              "companyName": "Y", "companyIds": [], "productDescription": "", "productIds": ["gtin:4712345060507"], "productCategoryCpc": "1",
              "productNameCompany": "y", "comment": "",
              "pcf": {"declaredUnit": "kilogram", "unitaryProductAmount": "1", "pCfExcludingBiogenic": "-1", "fossilGhgEmissions": "1",
                      "referencePeriodStart": "2024-01-01T00:00:00Z", "referencePeriodEnd": "2025-01-01T00:00:00Z", "exemptedEmissionsPercent": 0}
            },
            {
              "id": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", "specVersion": "2.0.0", "version": 2, "created": "2025-02-10T08:00:00Z", "status": "Deprecated",
              "companyName": "Z", "companyIds": ["urn:uuid:z"], "productDescription": "", "productIds": ["urn:z"], "productCategoryCpc": "1",
              "productNameCompany": "z", "comment": "",
              "pcf": {"declaredUnit": "liter", "unitaryProductAmount": "1", "pCfExcludingBiogenic": "1.63", "fossilGhgEmissions": "1.5",
                      "referencePeriodStart": "2024-01-01T00:00:00Z", "referencePeriodEnd": "2025-01-01T00:00:00Z", "exemptedEmissionsPercent": 0}
            }
          ]
        }
        """;

    [Fact]
    public void A_spec_shaped_document_is_read_per_declared_unit_and_bad_footprints_name_their_json_path()
    {
        var (rows, errors) = FootprintFiles.ParsePact(Encoding.UTF8.GetBytes(Document), Today);
        Assert.Equal([1, 2], rows.Select(r => r.Line));

        // The battery module: pCfExcludingBiogenic is per declared unit (kilogram): 11.2 kgCO2e per kg is the figure per functional
        // unit; one module is unitaryProductAmount = 32.5 kg, so 11.2 × 32.5 = 364 kgCO2e per module (kept in the note).
        var battery = rows[0].Footprint;
        Assert.Equal(("lfp_module_5120", "双登集团", "kg"), (battery.Product, battery.Supplier, battery.Unit));
        Assert.Equal(11.2, battery.KgCo2ePerUnit, 12);
        Assert.Contains("one product = 32.5 kilogram = 364 kgCO2e", battery.Note, StringComparison.Ordinal);
        Assert.Contains("geography CN", battery.Note, StringComparison.Ordinal);
        Assert.Contains("primary data share 56.8 %", battery.Note, StringComparison.Ordinal);
        // Assurance true → third-party verified by providerName, with its level and coverage.
        Assert.Equal((Verification.ThirdParty, "中国质量认证中心"), (battery.Verification, battery.Verifier));
        Assert.Contains("assurance: reasonable assurance, product level", battery.Note, StringComparison.Ordinal);
        // validityPeriodStart (including) 2025-01-01 … validityPeriodEnd (excluding) 2027-01-01 → last valid day 2026-12-31.
        Assert.Equal((new DateOnly(2025, 1, 1), (DateOnly?)new DateOnly(2026, 12, 31)), (battery.ValidFrom, battery.ValidTo));
        Assert.Equal("A", Footprints.Grade(battery, Today).Grade);

        // The floor panel: square meter has no unit in the unit table, so the footprint is kept per product (item):
        // 25 kgCO2e per m² × 0.36 m² per panel (600 mm × 600 mm) = 9 kgCO2e per panel.
        var panel = rows[1].Footprint;
        Assert.Equal(("raised_floor_panel_600", "item"), (panel.Product, panel.Unit));
        Assert.Equal(9.0, panel.KgCo2ePerUnit, 12);
        Assert.Equal(Verification.SelfDeclared, panel.Verification);   // assurance false
        // No validity period: valid for 3 years from referencePeriodEnd 2025-01-01T00:00Z, i.e. [2025-01-01, 2028-01-01).
        Assert.Equal((new DateOnly(2025, 1, 1), (DateOnly?)new DateOnly(2027, 12, 31)), (panel.ValidFrom, panel.ValidTo));

        Assert.Equal([3, 4, 5], errors.Select(e => e.Line));
        var e3 = errors[0].Reason;
        Assert.Contains("$.data[2].pcf.declaredUnit: 'piece' is not a PACT v2 declared unit", e3, StringComparison.Ordinal);
        Assert.Contains("$.data[2].pcf.unitaryProductAmount: 0 must be greater than 0", e3, StringComparison.Ordinal);
        Assert.Contains("$.data[2].pcf.exemptedEmissionsPercent: 7 must be at most 5", e3, StringComparison.Ordinal);
        var e4 = errors[1].Reason;
        Assert.Contains("$.data[3].id: 'f1' is not a UUID v4", e4, StringComparison.Ordinal);
        Assert.Contains("$.data[3].companyIds: missing or empty", e4, StringComparison.Ordinal);
        Assert.Contains("$.data[3].productIds[0]: 'gtin:4712345060507' is not a URN", e4, StringComparison.Ordinal);
        Assert.Contains("$.data[3].pcf.pCfExcludingBiogenic: -1 must be at least 0", e4, StringComparison.Ordinal);
        Assert.Contains("$.data[3].validityPeriodEnd: must not be later than pcf.referencePeriodEnd + 3 years (2028-01-01T00:00:00Z)", e4, StringComparison.Ordinal);
        Assert.Contains("$.data[4].status: Deprecated", errors[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void One_object_and_broken_json_are_reported_at_the_root()
    {
        var one = Document[(Document.IndexOf('[', StringComparison.Ordinal) + 1)..Document.IndexOf("\n    },\n", StringComparison.Ordinal)] + "}";
        var (rows, errors) = FootprintFiles.ParsePact(Encoding.UTF8.GetBytes(one.Replace("\"version\": 1", "\"version\": \"x\"", StringComparison.Ordinal)), Today);
        Assert.Empty(rows);
        Assert.Equal("$.version: 'x' is not an integer 0…2^31−1", Assert.Single(errors).Reason);
        (_, errors) = FootprintFiles.ParsePact(Encoding.UTF8.GetBytes("{\"data\": ["), Today);
        Assert.StartsWith("$: not valid JSON", Assert.Single(errors).Reason, StringComparison.Ordinal);
    }
}
