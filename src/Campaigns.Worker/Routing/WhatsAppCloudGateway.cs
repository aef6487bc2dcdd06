using Campaigns.Worker.Providers;
using Campaigns.Worker.Sending;

namespace Campaigns.Worker.Routing;

/// <summary>
/// WhatsApp Cloud sends only pre-approved templates: a message whose campaign names none is left to the
/// next provider of the chain (the API refuses to send such a campaign when there is none).
/// </summary>
public sealed class WhatsAppCloudGateway(WhatsAppCloudClient client) : IProviderGateway
{
    public string Name => WhatsAppCloudClient.Name;

    public bool CanSend(string channel, SendRequest request) => request.Template is not null;

    public Task<ProviderOutcome> SendAsync(string channel, SendRequest request, CancellationToken cancellationToken)
    {
        var template = request.Template ?? throw new InvalidOperationException("A WhatsApp Cloud message needs a template");
        return client.SendAsync(new WhatsAppTemplateMessage(request.Phone, template.Name, template.Language,
            request.TemplateParameters ?? [], request.IdempotencyKey), cancellationToken);
    }
}
