namespace Campaigns.Api;

/// <summary>The API's log messages, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Database migrations applied: {ScriptCount} new script(s)")]
    public static partial void MigrationsApplied(ILogger logger, int scriptCount);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Seeded demo data: {CustomerCount} customers, {CampaignCount} campaigns")]
    public static partial void DemoDataSeeded(ILogger logger, int customerCount, int campaignCount);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}, trace {TraceId}")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string traceId, string method, string path);

    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "Customer import: {Received} rows, {Created} created, {Updated} updated, {Rejected} rejected; read and validated in {ValidatedMs} ms, done in {TotalMs} ms")]
    public static partial void CustomersImported(ILogger logger, int received, int created, int updated, int rejected, long validatedMs, long totalMs);
}
