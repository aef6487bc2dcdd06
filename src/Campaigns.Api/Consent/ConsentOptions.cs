using System.ComponentModel.DataAnnotations;

namespace Campaigns.Api.Consent;

/// <summary>The confirmations keywords get (<c>Consent:</c> configuration).</summary>
public sealed class ConsentOptions
{
    public const string SectionName = "Consent";

    [Required, MaxLength(918)]
    public string StopReply { get; set; } = "You are unsubscribed and will get no more messages from us. Reply START to subscribe again.";

    [Required, MaxLength(918)]
    public string StartReply { get; set; } = "You are subscribed again. Reply STOP to unsubscribe.";

    [Required, MaxLength(918)]
    public string HelpReply { get; set; } = "Reply STOP to unsubscribe, START to subscribe again.";

    /// <summary>
    /// <c>Providers:Twilio:HandlesOptOutKeywords</c>: Twilio answers STOP, START and HELP itself (Advanced
    /// Opt-Out), so keywords that came through it get no confirmation from us.
    /// </summary>
    public bool TwilioAnswersKeywords { get; set; } = true;

    public string ReplyTo(string keyword) => keyword switch
    {
        ConsentKeywords.Stop => StopReply,
        ConsentKeywords.Start => StartReply,
        _ => HelpReply,
    };
}
