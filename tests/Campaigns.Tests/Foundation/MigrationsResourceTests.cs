using System.Net;
using Campaigns.AppHost;
using Campaigns.MigrationService;
using Campaigns.Tests.Delivery;
using Campaigns.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Campaigns.Tests.Foundation;

/// <summary>
/// The schema belongs to the migrations resource, not to the API: whatever starts after it (an API,
/// a worker, alone or together) finds the database ready.
/// </summary>
public sealed class MigrationsResourceTests(AppFixture fixture)
{
    // A bound, not a wait: two processes start, every migration runs and a message is delivered, alone in 10 s, but beside the
    // rest of the suite on two cores this took all of 40 s once.
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(120);

    private static int EmbeddedScripts =>
        typeof(DatabaseMigrator).Assembly.GetManifestResourceNames().Count(name => name.EndsWith(".sql", StringComparison.Ordinal));

    [Fact]
    public async Task A_worker_started_alone_on_a_fresh_database_delivers_once_the_migrations_resource_ran()
    {
        var ct = TestContext.Current.CancellationToken;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProcessTimeout);
        var database = await CreateEmptyDatabaseAsync(ct);

        await using (var migrations = ServiceProcess.Start(new Projects.Campaigns_MigrationService(), new Dictionary<string, string>
        {
            ["ConnectionStrings__campaignsdb"] = database,
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["DemoData__Enabled"] = "false",
        }))
        {
            var exitCode = await migrations.WaitForExitAsync(timeout.Token);
            Assert.True(exitCode == 0, $"The migration service exited with {exitCode}:{Environment.NewLine}{migrations.Output}");
            Assert.Contains($"Database migrations applied: {EmbeddedScripts} new script(s)", migrations.Output);
        }

        // No API anywhere, and a Redis database of its own so the shared graph's jobs stay out of it.
        var port = ServiceProcess.FreePort();
        await using var worker = ServiceProcess.Start(new Projects.Campaigns_Worker(), new Dictionary<string, string>
        {
            ["ConnectionStrings__campaignsdb"] = database,
            ["ConnectionStrings__redis"] = await fixture.Graph.UnreadRedisAsync(3, ct),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Sender__SuccessRate"] = "1",
            ["Worker__SchedulerInterval"] = "00:00:00.250",
            ["Worker__SweepInterval"] = "00:00:01",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitUntilHealthyAsync(worker, http, timeout.Token);

        // A campaign due now, written the way a send writes it: the worker's scheduler dispatches it,
        // the worker delivers its message and completes it, every loop running against the new schema.
        await using var dataSource = NpgsqlDataSource.Create(database);
        var campaignId = await InsertDueCampaignAsync(dataSource, ct);
        var db = new DeliveryDatabase(dataSource);
        await db.WaitUntilNotAsync(campaignId, "scheduled", ProcessTimeout, timeout.Token);
        var campaign = await db.WaitUntilNotAsync(campaignId, "sending", ProcessTimeout, timeout.Token);

        Assert.Equal("sent", campaign.Status);
        Assert.Equal("sent", Assert.Single((await db.MessagesAsync(campaignId, ct)).Values).Status);
        Assert.DoesNotContain("round failed", worker.Output);
        Assert.DoesNotContain("fail:", worker.Output);
        Assert.DoesNotContain("crit:", worker.Output);
        Assert.False(worker.HasExited, $"The worker exited:{Environment.NewLine}{worker.Output}");
    }

    [Fact]
    public async Task Running_the_migrations_again_applies_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var migrator = new DatabaseMigrator(await CreateEmptyDatabaseAsync(ct), NullLogger.Instance);

        var first = await migrator.MigrateAsync(ct);
        var second = await migrator.MigrateAsync(ct);

        Assert.Equal(EmbeddedScripts, first.Count);
        Assert.Empty(second);
    }

    [Fact]
    public async Task The_shared_graph_was_migrated_by_the_resource_before_the_services_started()
    {
        var ct = TestContext.Current.CancellationToken;
        var migrator = new DatabaseMigrator(await fixture.Graph.ConnectionStringAsync("campaignsdb", ct), NullLogger.Instance);

        Assert.Empty(await migrator.MigrateAsync(ct));
        Assert.True(fixture.Graph.App.ResourceNotifications.TryGetCurrentState(MigrationsResource.Name, out var state));
        Assert.Equal(0, state.Snapshot.ExitCode);
    }

    [Fact]
    public async Task A_failed_migration_exits_non_zero_and_logs_the_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProcessTimeout);
        var missing = new NpgsqlConnectionStringBuilder(await fixture.Graph.ConnectionStringAsync("campaignsdb", ct))
        {
            Database = $"missing_{Guid.NewGuid():N}",
        };

        await using var migrations = ServiceProcess.Start(new Projects.Campaigns_MigrationService(), new Dictionary<string, string>
        {
            ["ConnectionStrings__campaignsdb"] = missing.ConnectionString,
        });
        var exitCode = await migrations.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Database migration failed", migrations.Output);
        Assert.Contains($"database \"{missing.Database}\" does not exist", migrations.Output);
    }

    private async Task<string> CreateEmptyDatabaseAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(await fixture.Graph.ConnectionStringAsync("campaignsdb", cancellationToken))
        {
            Database = $"fresh_{Guid.NewGuid():N}",
        };
        await using var admin = await fixture.Database.OpenConnectionAsync(cancellationToken);
        await admin.ExecuteAsync(new CommandDefinition($"CREATE DATABASE \"{connection.Database}\"", cancellationToken: cancellationToken));
        return connection.ConnectionString;
    }

    private static async Task<long> InsertDueCampaignAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH customer AS (
                INSERT INTO customers (phone, first_name) VALUES (@phone, 'Amina') RETURNING id
            ), campaign AS (
                INSERT INTO campaigns (name, channel, status, base_template, scheduled_at, audience_attached_at, total_count, pending_count)
                VALUES ('worker alone', 'sms', 'scheduled', 'Hi {first_name}', now(), now(), 1, 1)
                RETURNING id, scheduled_at
            )
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, next_attempt_at)
            SELECT campaign.id, customer.id, 'Hi Amina', campaign.scheduled_at FROM campaign, customer
            RETURNING campaign_id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            sql, new { phone = Unique.KenyanPhone() }, cancellationToken: cancellationToken));
    }

    private static async Task WaitUntilHealthyAsync(ServiceProcess worker, HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            while (!worker.HasExited)
            {
                try
                {
                    using var response = await http.GetAsync("/health", cancellationToken);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                await Task.Delay(200, cancellationToken);
            }
            Assert.Fail($"The worker exited with {worker.ExitCode}:{Environment.NewLine}{worker.Output}");
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"The worker was not healthy in time:{Environment.NewLine}{worker.Output}");
        }
    }
}
