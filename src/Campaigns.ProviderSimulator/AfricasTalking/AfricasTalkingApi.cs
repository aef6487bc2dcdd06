using System.Diagnostics;
using Campaigns.ProviderSimulator.Options;
using Campaigns.ProviderSimulator.Outcomes;
using Campaigns.ProviderSimulator.Receipts;
using Campaigns.ProviderSimulator.Sending;
using Microsoft.Extensions.Options;

namespace Campaigns.ProviderSimulator.AfricasTalking;

/// <summary>
/// Africa's Talking's bulk SMS API: <c>POST /version1/messaging</c>, form-encoded (<c>username</c>,
/// <c>to</c> = comma-joined phones, <c>message</c>, <c>from</c>, <c>bulkSMSMode</c>), <c>apiKey</c> header.
/// Phones are judged one by one; a rule's <c>rate_limited</c> or <c>timeout</c>, which have no
/// per-recipient form, applies to the whole request.
/// </summary>
public static class AfricasTalkingApi
{
    public static IEndpointRouteBuilder MapAfricasTalkingApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/version1/messaging", SendAsync).WithName("AfricasTalkingSend").WithTags("Africa's Talking");
        return app;
    }

    private static Task<IResult> SendAsync(
        HttpRequest request, Simulation simulation, IOptions<AfricasTalkingCredentials> credentials, IOptions<WebhooksOptions> webhooks) =>
        simulation.SendAsync(ProviderNames.AfricasTalking, request.HttpContext,
            activity => AnswerAsync(request, simulation, credentials.Value, webhooks.Value, activity));

    private static async Task<SendAnswer> AnswerAsync(
        HttpRequest request, Simulation simulation, AfricasTalkingCredentials at, WebhooksOptions webhooks, Activity? activity)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var mode = simulation.Control.Called(ProviderNames.AfricasTalking);
        if (SendAnswer.ForMode(mode, AfricasTalkingAnswers.Unavailable, AfricasTalkingAnswers.TooManyRequests) is { } modeAnswer)
        {
            return modeAnswer;
        }
        var form = request.HasFormContentType ? await request.ReadFormAsync(cancellationToken) : FormCollection.Empty;
        if (!Secrets.Matches(request.Headers["apiKey"].ToString(), at.ApiKey) || !Secrets.Matches(form["username"].ToString(), at.Username))
        {
            return new(AfricasTalkingAnswers.Unauthorized(), "unauthorized");
        }
        foreach (var field in (string[])["to", "message"])
        {
            if (string.IsNullOrEmpty(form[field]))
            {
                return new(AfricasTalkingAnswers.MissingField(field), "invalid");
            }
        }

        var phones = form["to"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (phones.Length == 0)
        {
            return new(AfricasTalkingAnswers.MissingField("to"), "invalid");
        }
        var decisions = phones.Select(phone => PhoneNumbers.IsE164(phone)
            ? simulation.Rules.Decide(ProviderNames.AfricasTalking, phone, readable: false)
            : new Decision(SendOutcome.Permanent, ReceiptOutcome.None, null, TimeSpan.Zero)).ToList();
        if (decisions.Any(d => d.Outcome == SendOutcome.Timeout))
        {
            return await simulation.HoldAsync(cancellationToken, phones.Length);
        }
        if (decisions.Where(d => d.Outcome == SendOutcome.RateLimited).Select(d => d.RetryAfter).DefaultIfEmpty().Max() is var retryAfter
            && retryAfter > TimeSpan.Zero)
        {
            return new(AfricasTalkingAnswers.TooManyRequests(retryAfter), "rate_limited", phones.Length);
        }

        var callback = webhooks.Url(AfricasTalkingReceipts.CallbackPathAndQuery(at.WebhookToken));
        var recipients = new List<AfricasTalkingAnswers.Recipient>(phones.Length);
        var plans = new List<ReceiptPlan>();
        for (var i = 0; i < phones.Length; i++)
        {
            var decision = decisions[i];
            var code = int.TryParse(decision.ErrorCode, out var parsed) ? parsed : (int?)null;
            if (decision.Outcome != SendOutcome.Accept)
            {
                var refusal = decision.Outcome == SendOutcome.Transient ? AfricasTalkingAnswers.InternalServerError : AfricasTalkingAnswers.InvalidPhoneNumber;
                recipients.Add(AfricasTalkingAnswers.Entry(phones[i], code ?? refusal, messageId: null));
                continue;
            }
            var messageId = ProviderIds.AfricasTalkingId();
            recipients.Add(AfricasTalkingAnswers.Entry(phones[i], AfricasTalkingAnswers.Sent, messageId));
            if (callback is not null)
            {
                plans.Add(simulation.PlanReceipts(decision, readable: false,
                    AfricasTalkingReceipts.Builder(callback, messageId, phones[i], activity?.Context ?? default)));
            }
        }
        await simulation.StartReceiptsAsync(plans, cancellationToken);
        var outcomes = decisions.Select(d => d.Tag).Distinct().ToList();
        return new(AfricasTalkingAnswers.Created(recipients), outcomes.Count == 1 ? outcomes[0] : "mixed", phones.Length);
    }
}
