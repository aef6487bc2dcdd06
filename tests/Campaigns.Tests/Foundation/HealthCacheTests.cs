using System.Diagnostics;
using System.Net;
using Campaigns.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Campaigns.Tests.Foundation;

/// <summary>
/// A flood of /health runs the checks (Postgres, Redis) about once per period, whatever the query string or
/// Host header, yet a change of state shows within seconds; a probe that hangs up leaves the others' answer alone.
/// </summary>
public sealed class HealthCacheTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_flood_of_health_requests_runs_the_checks_once_and_a_failure_still_shows_within_seconds()
    {
        var probe = new CountingCheck();
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        var redis = await fixture.Graph.ConnectionStringAsync("redis", Ct);
        await using var factory = InProcessApi.Create(postgres, redis, web => web.ConfigureTestServices(services =>
            services.AddHealthChecks().AddCheck("counting", probe)));
        using var client = factory.CreateValidatedClient();

        var flood = Enumerable.Range(0, 60).Select(i => HealthAsync(client, i % 3 == 0 ? $"/health?nocache={i}" : "/health", $"host-{i % 4}"));
        var statuses = await Task.WhenAll(flood);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.InRange(probe.Runs, 1, 2);

        probe.Healthy = false;
        var watch = Stopwatch.StartNew();
        while (await HealthAsync(client, "/health", "localhost") != HttpStatusCode.ServiceUnavailable)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "a failing check did not show in /health within 5 s");
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task A_probe_that_hangs_up_does_not_cancel_the_run_the_others_wait_for()
    {
        var probe = new HeldCheck();
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        var redis = await fixture.Graph.ConnectionStringAsync("redis", Ct);
        await using var factory = InProcessApi.Create(postgres, redis, web => web.ConfigureTestServices(services =>
            services.AddHealthChecks().AddCheck("held", probe)));
        using var client = factory.CreateValidatedClient();

        using var hangsUp = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var abandoned = client.GetAsync("/health", hangsUp.Token);
        var runToken = await probe.Started.Task.WaitAsync(Ct);
        await hangsUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        var waiting = client.GetAsync("/health", Ct);
        probe.Release.SetResult();

        using var answer = await waiting;
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        // Before, the run took the first probe's RequestAborted: hanging up cancelled the checks everyone waited on.
        Assert.False(runToken.IsCancellationRequested, "the checks ran on the token of the probe that hung up");
    }

    [Fact]
    public async Task Probes_answer_get_and_head_only()
    {
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        var redis = await fixture.Graph.ConnectionStringAsync("redis", Ct);
        await using var factory = InProcessApi.Create(postgres, redis);
        using var client = factory.CreateValidatedClient();

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/health"), Ct);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        (await client.PostJsonAsync("/health", "{}", Ct)).Expect(HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED");
        (await client.SendJsonAsync(HttpMethod.Delete, "/alive", null, Ct)).Expect(HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED");
    }

    private static async Task<HttpStatusCode> HealthAsync(HttpClient client, string path, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    /// <summary>Holds its run until released, and hands the test the token it ran with.</summary>
    private sealed class HeldCheck : IHealthCheck
    {
        public TaskCompletionSource<CancellationToken> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Started.TrySetResult(cancellationToken);
            await Release.Task.WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }

    private sealed class CountingCheck : IHealthCheck
    {
        private int _runs;
        private volatile bool _healthy = true;

        public int Runs => Volatile.Read(ref _runs);

        public bool Healthy
        {
            get => _healthy;
            set => _healthy = value;
        }

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _runs);
            return Task.FromResult(Healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("switched off by the test"));
        }
    }
}
