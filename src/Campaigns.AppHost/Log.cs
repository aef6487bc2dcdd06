using Microsoft.Extensions.Logging;

namespace Campaigns.AppHost;

/// <summary>The AppHost's own log messages, source-generated.</summary>
internal static partial class Log
{
    /// <summary>A server the graph needs has stopped; the description carries its reason.</summary>
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "{Description}")]
    public static partial void ServerStopped(ILogger logger, string description);
}
