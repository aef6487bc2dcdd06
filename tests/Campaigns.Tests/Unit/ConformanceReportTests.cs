using Campaigns.Tests.Infrastructure.OpenApi;

namespace Campaigns.Tests.Unit;

/// <summary>The run's conformance report: counts, and one line per fault of the document however often it was met.</summary>
public sealed class ConformanceReportTests
{
    [Fact]
    public void Mismatches_that_differ_only_in_their_values_are_one_kind()
    {
        var report = new ConformanceReport();

        report.Record(new ContractVerdict("POST /widgets", "POST /widgets", 200,
            ["request body: $[0].name = \"a: b\": Value is \"string\" but should be \"integer\" [type]", "request body: … 3 more"]));
        report.Record(new ContractVerdict("POST /widgets", "POST /widgets", 200,
            ["request body: $[7].name = \"zz\": Value is \"string\" but should be \"integer\" [type]",
             "request body: $.count = 12.5: Value is \"number\" but should be \"integer\" [type]"]));
        report.Record(new ContractVerdict("GET /widgets", "GET /widgets", 401, ["status 401 is not declared (declared: 200)"]));
        report.Record(ContractVerdict.Skipped("GET /health", 200));

        Assert.Equal(4, report.MismatchCount);
        Assert.Equal(2, report.Validated("POST /widgets"));
        Assert.Equal(1, report.Skipped);
        Assert.Collection(report.DistinctMismatches,
            kind => Assert.StartsWith("POST /widgets → 200: request body: $[*].name: Value is \"string\" but should be \"integer\" [type] ×2", kind),
            kind => Assert.StartsWith("GET /widgets → 401: status 401 is not declared (declared: 200) ×1", kind),
            kind => Assert.StartsWith("POST /widgets → 200: request body: $.count: Value is \"number\" but should be \"integer\" [type] ×1", kind));
    }
}
