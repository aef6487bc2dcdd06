using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.ApiBehaviour;

/// <summary>
/// docs/openapi.json, the document clients are generated from (tests/Campaigns.ApiClient among them),
/// is the one the API serves: a change to the API's contract shows up in review as a change to it.
/// </summary>
public sealed class OpenApiSnapshotTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_committed_document_is_the_one_the_API_serves()
    {
        var live = (await _api.GetJsonAsync("/openapi/v1.json", Ct)).Expect(HttpStatusCode.OK).Json.AsObject();
        var snapshotPath = Path.Combine(RepositoryRoot.Path, "docs", "openapi.json");
        var snapshot = JsonNode.Parse(await File.ReadAllTextAsync(snapshotPath, Ct))!.AsObject();
        // The live document names the address it was asked on; the snapshot names none.
        live.Remove("servers");
        snapshot.Remove("servers");

        var difference = JsonDifference.First(snapshot, live);

        Assert.True(difference is null,
            $"docs/openapi.json is not the document the API serves. First difference at {difference?.Path}: " +
            $"the snapshot has {difference?.Expected}, the API serves {difference?.Actual}. " +
            "Run eng/openapi.sh to refresh the snapshot, and commit it with the change.");
    }
}
