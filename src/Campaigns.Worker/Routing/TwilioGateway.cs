using Campaigns.Worker.Providers;
using Campaigns.Worker.Sending;

namespace Campaigns.Worker.Routing;

/// <summary>Twilio carries SMS and WhatsApp alike, the rendered text as the body.</summary>
public sealed class TwilioGateway(TwilioClient client) : IProviderGateway
{
    public string Name => TwilioClient.Name;

    public bool CanSend(string channel, SendRequest request) => true;

    public Task<ProviderOutcome> SendAsync(string channel, SendRequest request, CancellationToken cancellationToken) =>
        client.SendAsync(new TwilioMessage(channel, request.Phone, request.Content, request.IdempotencyKey, request.ValidFor), cancellationToken);
}
