using System.Diagnostics;

namespace Campaigns.ProviderSimulator.Receipts;

/// <summary>
/// One webhook call, built (and signed) when the send is accepted, posted later. <see cref="Parent"/>
/// is the send's span, so the receipt continues the trace of the message it reports.
/// </summary>
/// <param name="Status">The provider's own word for the event (for logs and spans).</param>
/// <param name="Url">Where it goes; its query may hold a token, so logs name its path only.</param>
public sealed record Receipt(
    string Provider,
    string Status,
    string MessageId,
    Uri Url,
    byte[] Body,
    string ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ActivityContext Parent,
    int Attempt = 1);
