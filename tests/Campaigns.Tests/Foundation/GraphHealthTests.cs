using System.Net;
using System.Text.Json;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Foundation;

public sealed class GraphHealthTests(AppFixture fixture)
{
    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    public async Task Service_reports_healthy_with_postgres_and_redis_checks(string service)
    {
        using var client = fixture.Graph.CreateClient(service);

        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("PostgreSql").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("StackExchange.Redis").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    public async Task Alive_answers_without_touching_dependencies(string service)
    {
        using var client = fixture.Graph.CreateClient(service);

        using var response = await client.GetAsync("/alive", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.False(body.RootElement.GetProperty("checks").TryGetProperty("PostgreSql", out _));
    }
}
