using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Campaigns.Benchmarks.Graph;

/// <summary>
/// The Twilio account the API's webhooks verify against in the benchmark's graph: a throwaway auth token
/// made per graph, and <c>Webhooks:PublicBaseUrl</c> the API's own http endpoint. The receipts scenario
/// signs its status callbacks with the same token over the same public URL the API rebuilds.
/// </summary>
public sealed class WebhookCredentials
{
    public const string PublicBaseUrlVariable = "Webhooks__PublicBaseUrl";

    /// <summary>Shaped like a real account SID (AC and 32 hex digits); nothing checks it against a token.</summary>
    public const string TwilioAccountSid = "ACbe4c4be4c4be4c4be4c4be4c4be4c4b";

    public string TwilioAuthToken { get; } = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    public void Configure(IResourceBuilder<ProjectResource> api) => api
        .WithEnvironment("Providers__Twilio__AccountSid", TwilioAccountSid)
        .WithEnvironment("Providers__Twilio__AuthToken", TwilioAuthToken)
        .WithEnvironment(PublicBaseUrlVariable, api.GetEndpoint("http"));
}
