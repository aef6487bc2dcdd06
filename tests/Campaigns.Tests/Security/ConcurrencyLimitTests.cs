using System.Net;
using Campaigns.Api.Security;
using Campaigns.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Campaigns.Tests.Security;

/// <summary>
/// Imports and sends are counted while they run, per API process: one more than
/// <c>RateLimits:ImportConcurrency</c> / <c>RateLimits:SendConcurrency</c> is 429 <c>RATE_LIMITED</c> with
/// <c>Retry-After</c>, each limit on its own, and other requests pass. A request is held in flight by
/// holding back the end of its body.
/// </summary>
public sealed class ConcurrencyLimitTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_import_beyond_the_limit_is_429_while_the_others_run()
    {
        await using var factory = await StartAsync(imports: 1, sends: 1);
        using var client = factory.CreateAuthenticatedClient(streamBodies: true);

        var (refused, held) = await ProbeUntilRefusedAsync(count: 1,
            () => Hold(client, "/customers/import", new HeldBody("phone\n", $"{Unique.KenyanPhone()}\n", "text/csv")),
            () => PostAsync(client, "/customers/import", Csv($"phone\n{Unique.KenyanPhone()}\n")));

        refused.Expect(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.True(int.Parse(refused.Headers["Retry-After"]) >= 1);
        // The send limit is another: a send still runs (to a campaign that does not exist).
        (await client.PostJsonAsync("/campaigns/987654321/send", new { customer_ids = new[] { 1 } }, Ct))
            .Expect(HttpStatusCode.NotFound, "CAMPAIGN_NOT_FOUND");
        (await client.GetJsonAsync("/customers?page_size=1", Ct)).Expect(HttpStatusCode.OK);
        held[0].Body.Release();
        Assert.Equal(1, (await held[0].Request).Expect(HttpStatusCode.OK).Json["created"]!.GetValue<int>());
        // The permit is back once the import has answered.
        (await PostAsync(client, "/customers/import", Csv($"phone\n{Unique.KenyanPhone()}\n"))).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_send_beyond_the_limit_is_429_while_the_others_run()
    {
        await using var factory = await StartAsync(imports: 1, sends: 2);
        using var client = factory.CreateAuthenticatedClient(streamBodies: true);

        var (refused, held) = await ProbeUntilRefusedAsync(count: 2,
            () => Hold(client, "/campaigns/987654321/send", new HeldBody("""{"customer_ids":[1""", "]}", "application/json")),
            () => client.PostJsonAsync("/campaigns/987654322/send", new { customer_ids = new[] { 1 } }, Ct));

        refused.Expect(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.True(int.Parse(refused.Headers["Retry-After"]) >= 1);
        (await PostAsync(client, "/customers/import", Csv("phone\n"))).Expect(HttpStatusCode.OK);
        foreach (var request in held)
        {
            request.Body.Release();
            (await request.Request).Expect(HttpStatusCode.NotFound, "CAMPAIGN_NOT_FOUND");
        }
        (await client.PostJsonAsync("/campaigns/987654322/send", new { customer_ids = new[] { 1 } }, Ct))
            .Expect(HttpStatusCode.NotFound, "CAMPAIGN_NOT_FOUND");
    }

    private async Task<WebApplicationFactory<Campaigns.Api.ApiAssembly>> StartAsync(int imports, int sends)
    {
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        var redis = await fixture.Graph.ConnectionStringAsync("redis", Ct);
        var factory = InProcessApi.Create(postgres, redis, web => web
            .UseSetting("RateLimits:ImportConcurrency", imports.ToString())
            .UseSetting("RateLimits:SendConcurrency", sends.ToString()));
        // Only the concurrency limits are low: no per-caller budget may refuse first.
        var limits = factory.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        Assert.Equal((imports, sends, 1_000_000, 1_000_000, 1_000_000, 1_000_000), (limits.ImportConcurrency, limits.SendConcurrency,
            limits.PermitsPerSecond, limits.Burst, limits.SendPermitsPerSecond, limits.SendBurst));
        return factory;
    }

    /// <summary>
    /// Keeps <paramref name="count"/> held requests in flight and repeats <paramref name="probe"/> until it is
    /// refused while all of them still run. A held request reaches the server at a moment the client cannot
    /// see, so a probe may take the permit first and the held request be refused: it is then started again.
    /// </summary>
    private static async Task<(ApiResponse Refused, List<Held> Held)> ProbeUntilRefusedAsync(int count, Func<Held> hold,
        Func<Task<ApiResponse>> probe)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        var held = Enumerable.Range(0, count).Select(_ => hold()).ToList();
        while (true)
        {
            await Task.Delay(50, Ct);
            if (held.FindIndex(h => h.Request.IsCompleted) is var ended and >= 0)
            {
                held[ended].Body.Dispose();
                held[ended] = hold();
                continue;
            }
            var response = await probe();
            if ((response.Status == HttpStatusCode.TooManyRequests && held.All(h => !h.Request.IsCompleted)) || deadline.IsCancellationRequested)
            {
                return (response, held);
            }
        }
    }

    private static Held Hold(HttpClient client, string path, HeldBody body) => new(body, PostAsync(client, path, body));

    private static async Task<ApiResponse> PostAsync(HttpClient client, string path, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        return await client.SendRawAsync(request, Ct);
    }

    private static StringContent Csv(string csv) => new(csv, System.Text.Encoding.UTF8, "text/csv");

    /// <summary>A request kept in flight until its body is released.</summary>
    private sealed record Held(HeldBody Body, Task<ApiResponse> Request);
}
