using Campaigns.Core.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Campaigns.Worker.Receipts;

public static class ReceiptApplierRegistration
{
    /// <summary>The applier's own connections (<see cref="ReceiptStore"/> takes them by this key).</summary>
    public const string ConnectionKey = "campaignsdb-receipts";

    /// <summary>
    /// The applier, its options, and a pool of its own with one connection per lane, kept open: a backlog's
    /// batches then run on connections that have run them before. On a connection new to it, a batch of 2,000 cost
    /// half as much again (its plans, its memory), and the shared pool handed every batch of a backlog to another
    /// connection, a cold one as often as not (measured: nine connections for ten batches).
    /// </summary>
    public static IHostApplicationBuilder AddReceiptApplier(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReceiptOptions>().BindConfiguration(ReceiptOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var lanes = builder.Configuration.GetSection(ReceiptOptions.SectionName).Get<ReceiptOptions>()?.Parallelism
            ?? new ReceiptOptions().Parallelism;
        var connectionString = builder.Configuration.GetConnectionString("campaignsdb")
            ?? throw new InvalidOperationException("ConnectionStrings:campaignsdb is not set");
        builder.AddKeyedNpgsqlDataSource(ConnectionKey,
            settings =>
            {
                settings.ConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
                {
                    MaxPoolSize = lanes,
                    MinPoolSize = lanes,
                }.ConnectionString;
                // The service's own pool is checked already: the same server.
                settings.DisableHealthChecks = true;
            },
            dataSource => dataSource.UseHotPathSettings().TraceInsideOurSpans());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ReceiptStore>();
        builder.Services.AddHostedService<ReceiptApplier>();
        return builder;
    }
}
