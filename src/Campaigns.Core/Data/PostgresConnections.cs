using System.Diagnostics;
using Npgsql;

namespace Campaigns.Core.Data;

/// <summary>How the API and the worker talk to Postgres.</summary>
public static class PostgresConnections
{
    /// <summary>
    /// The services run the same few statements thousands of times a second: prepared once per
    /// connection, they skip Postgres's parse and plan (a claim's planning alone was 1.3 ms). The pool
    /// does not send <c>DISCARD ALL</c> on every return either: no code leaves session state behind
    /// (advisory locks are transaction-scoped; the migrations run in a process of their own), and it
    /// was a round trip per transaction.
    /// </summary>
    public static NpgsqlDataSourceBuilder UseHotPathSettings(this NpgsqlDataSourceBuilder builder)
    {
        builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        return builder;
    }

    /// <summary>
    /// Database spans only inside a span of our own (a request, a batch, a loop's round that did work),
    /// named by operation and table: an idle service's polling, compaction and health checks would
    /// otherwise open a root trace per statement, and every statement would read <c>postgresql</c>.
    /// </summary>
    public static NpgsqlDataSourceBuilder TraceInsideOurSpans(this NpgsqlDataSourceBuilder builder) =>
        builder.ConfigureTracing(tracing => tracing
            .ConfigureCommandFilter(_ => Activity.Current is not null)
            .ConfigureBatchFilter(_ => Activity.Current is not null)
            .ConfigureCopyOperationFilter(_ => Activity.Current is not null)
            .ConfigureCommandSpanNameProvider(command => DatabaseSpanNames.For(command.CommandText))
            .ConfigureBatchSpanNameProvider(batch => DatabaseSpanNames.For(batch.BatchCommands.Count > 0 ? batch.BatchCommands[0].CommandText : null))
            .ConfigureCopyOperationSpanNameProvider(DatabaseSpanNames.For));
}
