using Campaigns.Worker.Receipts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Campaigns.Tests.StateMachine;

/// <summary>
/// The receipts applier runs on a pool of its own, one connection per lane, kept open: a backlog's batches then run on
/// connections that have run them before (a connection's first batch of 2,000 cost half as much again).
/// </summary>
public sealed class ReceiptApplierConnectionTests
{
    [Theory]
    [InlineData(null, 2)]
    [InlineData("3", 3)]
    public void The_applier_has_a_connection_per_lane_kept_open(string? parallelism, int lanes)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["ConnectionStrings:campaignsdb"] = "Host=localhost;Port=5432;Username=u;Password=p;Database=campaigns;Maximum Pool Size=50";
        if (parallelism is not null)
        {
            builder.Configuration["Receipts:Parallelism"] = parallelism;
        }

        builder.AddReceiptApplier();
        using var services = builder.Services.BuildServiceProvider();

        var pool = new NpgsqlConnectionStringBuilder(
            services.GetRequiredKeyedService<NpgsqlDataSource>(ReceiptApplierRegistration.ConnectionKey).ConnectionString);
        Assert.Equal((lanes, lanes), (pool.MaxPoolSize, pool.MinPoolSize));
        Assert.Equal(("localhost", "campaigns"), (pool.Host, pool.Database));
        Assert.NotNull(services.GetRequiredService<ReceiptStore>());
    }
}
