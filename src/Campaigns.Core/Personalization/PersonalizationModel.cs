using Microsoft.Extensions.AI;

namespace Campaigns.Core.Personalization;

/// <summary>
/// The configured language model (<c>ConnectionStrings:ai</c>), or none. The API and the worker register it the same way
/// (<see cref="PersonalizationRegistration.AddPersonalization"/>): an <see cref="IChatClient"/> with OpenTelemetry (a span per call with its token
/// counts) and logging, only when a connection string is given.
/// </summary>
public sealed class PersonalizationModel(IChatClient? client)
{
    /// <summary>The spans of the model calls (GenAI semantic conventions), registered in ServiceDefaults' tracing.</summary>
    public const string ActivitySourceName = "Campaigns.Personalization";

    public IChatClient? Client { get; } = client;

    public bool IsConfigured => Client is not null;
}
