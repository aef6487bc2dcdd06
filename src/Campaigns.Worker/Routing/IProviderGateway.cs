using Campaigns.Worker.Providers;
using Campaigns.Worker.Sending;

namespace Campaigns.Worker.Routing;

/// <summary>One provider as the router sees it: one message in, the provider's outcome out.</summary>
public interface IProviderGateway
{
    /// <summary>The provider's name as chains spell it.</summary>
    string Name { get; }

    /// <summary>Whether this provider can send this message at all (a WhatsApp Cloud message needs a template).</summary>
    bool CanSend(string channel, SendRequest request);

    Task<ProviderOutcome> SendAsync(string channel, SendRequest request, CancellationToken cancellationToken);
}
