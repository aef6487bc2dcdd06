using System.Text.RegularExpressions;
using Campaigns.ProviderSimulator.Outcomes;
using Campaigns.ProviderSimulator.Sending;

namespace Campaigns.ProviderSimulator.Options;

/// <summary>
/// One entry of <c>Simulator:Rules</c>: what happens to the phones matching <see cref="Pattern"/>.
/// Example: <c>{ "Pattern": "^\\+25479", "Provider": "africastalking", "Outcome": "permanent", "ErrorCode": "406" }</c>.
/// </summary>
public sealed class OutcomeRule
{
    /// <summary>A regular expression on the E.164 phone (with its <c>+</c>).</summary>
    public string Pattern { get; set; } = "";

    /// <summary><c>twilio</c>, <c>africastalking</c> or <c>whatsapp-cloud</c>; every provider when unset.</summary>
    public string? Provider { get; set; }

    /// <summary><c>accept</c>, <c>permanent</c>, <c>transient</c>, <c>rate_limited</c> or <c>timeout</c>.</summary>
    public string Outcome { get; set; } = "accept";

    /// <summary>For accepted messages: <c>delivered</c> (the default), <c>undelivered</c>, <c>read</c> or <c>none</c>.</summary>
    public string? Receipt { get; set; }

    /// <summary>
    /// The provider's own code: of the refusal (Twilio's <c>code</c>, a Graph <c>error.code</c>, an
    /// Africa's Talking recipient <c>statusCode</c>) or of an undelivered receipt (Twilio's <c>ErrorCode</c>,
    /// Africa's Talking's <c>failureReason</c>, a WhatsApp <c>errors[].code</c>). Each provider's usual one when unset.
    /// </summary>
    public string? ErrorCode { get; set; }

    /// <summary>The <c>Retry-After</c> of a <c>rate_limited</c> answer.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrEmpty(Pattern))
        {
            yield return "Pattern is required";
        }
        else if (!IsRegex(Pattern))
        {
            yield return $"Pattern '{Pattern}' is not a valid regular expression";
        }
        if (!string.IsNullOrEmpty(Provider) && !ProviderNames.All.Contains(Provider))
        {
            yield return $"Provider '{Provider}' is not one of {string.Join(", ", ProviderNames.All)}";
        }
        if (!ConfigNames.TryParse<SendOutcome>(Outcome, out var outcome))
        {
            yield return $"Outcome '{Outcome}' is not one of accept, permanent, transient, rate_limited, timeout";
        }
        if (Receipt is { Length: > 0 } receipt)
        {
            if (!ConfigNames.TryParse<ReceiptOutcome>(receipt, out _))
            {
                yield return $"Receipt '{receipt}' is not one of delivered, undelivered, read, none";
            }
            else if (outcome != SendOutcome.Accept)
            {
                yield return "Receipt applies to accepted messages only";
            }
        }
        if (RetryAfterSeconds is < 1 or > 3_600)
        {
            yield return "RetryAfterSeconds must be between 1 and 3600";
        }
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
