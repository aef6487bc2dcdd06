using Microsoft.AspNetCore.Http.HttpResults;

namespace Campaigns.Api.Webhooks;

/// <summary>
/// One request to a form-encoded webhook (Twilio's, Africa's Talking's), start to end: its span, the
/// provider's proof (which reads the form), the required fields, what they mean, stored.
/// </summary>
public static class FormWebhook
{
    /// <param name="prove">The form once the provider's proof holds, else the refusal (404, 401, 400).</param>
    /// <param name="read">What the required fields (in the order named) and the form mean: receipts, inbound messages.</param>
    /// <returns>Null once stored; else the refusal to answer.</returns>
    public static async Task<ProblemHttpResult?> ReceiveAsync(string provider, string webhook,
        Func<Task<(IFormCollection? Form, ProblemHttpResult? Refusal)>> prove, string[] required,
        Func<string[], IFormCollection, (Receipt[] Receipts, InboundMessage[] Inbound)> read,
        WebhookInbox inbox, CancellationToken cancellationToken)
    {
        using var activity = WebhookSpan.Start(provider, webhook);
        var (form, refusal) = await prove();
        if (refusal is not null)
        {
            return refusal;
        }
        var (fields, missing) = WebhookForm.Require(form!, required);
        if (missing is not null)
        {
            return missing;
        }
        var (receipts, inbound) = read(fields, form!);
        await inbox.StoreAsync(provider, receipts, inbound, cancellationToken);
        return null;
    }
}
