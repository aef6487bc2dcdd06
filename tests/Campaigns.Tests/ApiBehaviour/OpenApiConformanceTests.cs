using System.Collections.Concurrent;
using System.Net;
using Campaigns.Tests.Infrastructure;
using Campaigns.Tests.Infrastructure.OpenApi;

namespace Campaigns.Tests.ApiBehaviour;

/// <summary>The suite's clients really check their exchanges against the document the API serves now.</summary>
public sealed class OpenApiConformanceTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_contract_is_the_document_the_api_serves()
    {
        using var api = fixture.CreateApiClient();
        var document = (await api.GetJsonAsync("/openapi/v1.json", Ct)).Expect(HttpStatusCode.OK).Json;
        var served = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject()
                .Where(entry => entry.Key is "get" or "put" or "post" or "delete" or "options" or "head" or "patch" or "trace")
                .Select(entry => $"{entry.Key.ToUpperInvariant()} {path.Key}"))
            .Order(StringComparer.Ordinal);

        Assert.NotNull(OpenApiConformance.Contract);
        Assert.Equal(served, OpenApiConformance.Contract.Operations.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_graphs_clients_are_checked()
    {
        using var api = fixture.CreateApiClient();

        await AssertCheckedAsync(api);
    }

    [Fact]
    public async Task The_in_process_apis_clients_are_checked()
    {
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        var redis = await fixture.Graph.ConnectionStringAsync("redis", Ct);
        await using var factory = InProcessApi.Create(postgres, redis);
        using var api = factory.CreateAuthenticatedClient();

        await AssertCheckedAsync(api);
    }

    /// <summary>A read of a customer no one made: the exchange reaches the report, under its operation.</summary>
    private static async Task AssertCheckedAsync(HttpClient api)
    {
        var verdicts = new ConcurrentQueue<ContractVerdict>();
        void Collect(ContractVerdict verdict) => verdicts.Enqueue(verdict);
        // An id of this test's own, so the verdict found is this request's, whatever runs beside it.
        var id = Random.Shared.NextInt64(1L << 40, 1L << 50);
        var readsBefore = OpenApiConformance.Report.Validated("GET /customers/{id}");
        OpenApiConformance.Report.Recorded += Collect;
        try
        {
            (await api.GetJsonAsync($"/customers/{id}", Ct)).Expect(HttpStatusCode.NotFound);

            var verdict = Assert.Single(verdicts, verdict => verdict.Request == $"GET /customers/{id}");
            Assert.Equal("GET /customers/{id}", verdict.Operation);
            Assert.Equal(404, verdict.Status);
            Assert.True(OpenApiConformance.Report.Validated("GET /customers/{id}") > readsBefore);
        }
        finally
        {
            OpenApiConformance.Report.Recorded -= Collect;
        }
    }
}
