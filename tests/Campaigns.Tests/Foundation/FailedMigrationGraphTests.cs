using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Campaigns.AppHost;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Foundation;

/// <summary>
/// A graph whose migrations fail never starts the API or the workers: starting it must fail at once
/// with the migration's own reason, not after the start timeout with none.
/// </summary>
public sealed class FailedMigrationGraphTests
{
    [Fact]
    public async Task Starting_a_graph_whose_migrations_fail_reports_the_reason_quickly()
    {
        var ct = TestContext.Current.CancellationToken;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CampaignsGraph.StartAsync(builder =>
            builder.CreateResourceBuilder<ProjectResource>(MigrationsResource.Name)
                // Set after the AppHost's reference, so it wins: a server where nothing listens.
                .WithEnvironment("ConnectionStrings__campaignsdb", "Host=127.0.0.1;Port=1;Username=campaigns;Password=x;Database=campaignsdb"),
            ct));

        // The migration's exit and reason, reported as it happens: waiting it out would end in the start's timeout instead,
        // without them (no clock here: on a loaded machine starting the graph alone can take a minute).
        Assert.True(error.Message.Contains("exit code 1") && error.Message.Contains("Database migration failed: Failed to connect to 127.0.0.1:1"),
            error.Message);
    }
}
