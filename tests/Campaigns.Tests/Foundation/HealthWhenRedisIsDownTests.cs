using System.Net;
using System.Text.Json;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Foundation;

/// <summary>
/// The API in process, on the shared graph's Postgres but with Redis pointed at a port where nothing
/// listens: /health must say 503 and name the failing check, without disturbing the shared graph.
/// </summary>
public sealed class HealthWhenRedisIsDownTests(AppFixture fixture)
{
    [Fact]
    public async Task Health_is_503_and_names_the_redis_check()
    {
        var ct = TestContext.Current.CancellationToken;
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", ct);
        await using var factory = InProcessApi.Create(postgres, "127.0.0.1:1,abortConnect=false,connectTimeout=500,syncTimeout=500");
        using var client = factory.CreateValidatedClient();

        using var response = await client.GetAsync("/health", ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("StackExchange.Redis").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("PostgreSql").GetProperty("status").GetString());
    }
}
