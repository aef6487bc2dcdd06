using System.Diagnostics;
using Campaigns.ProviderSimulator.Receipts;
using Campaigns.ProviderSimulator.Sending;

namespace Campaigns.ProviderSimulator.AfricasTalking;

/// <summary>
/// Africa's Talking's delivery reports: a form POST (<c>id</c>, <c>status</c>, <c>phoneNumber</c>,
/// <c>networkCode</c>, <c>failureReason</c> when it failed, <c>retryCount</c>) to the URL registered in
/// its dashboard, whose <c>?token=</c> is the only proof.
/// </summary>
public static class AfricasTalkingReceipts
{
    public const string DefaultFailureReason = "DeliveryFailure";

    // Safaricom: the simulated phones are Kenyan.
    private const string NetworkCode = "63902";

    /// <summary>The delivery URL under <c>Webhooks:PublicBaseUrl</c>, as the contract has operators register it.</summary>
    public static string CallbackPathAndQuery(string webhookToken) =>
        $"/webhooks/africastalking/delivery?token={Uri.EscapeDataString(webhookToken)}";

    public static Func<ReceiptStep, DateTimeOffset, Receipt> Builder(Uri callback, string messageId, string phone, ActivityContext parent) =>
        (step, _) =>
        {
            var status = step.Kind switch
            {
                ReceiptKind.Sent => "Sent",
                ReceiptKind.Undelivered => "Failed",
                _ => "Success",
            };
            var form = new List<KeyValuePair<string, string>>
            {
                new("phoneNumber", phone),
                new("networkCode", NetworkCode),
                new("retryCount", "0"),
                new("id", messageId),
                new("status", status),
            };
            if (step.Kind == ReceiptKind.Undelivered)
            {
                form.Add(new("failureReason", step.ErrorCode ?? DefaultFailureReason));
            }
            return new Receipt(ProviderNames.AfricasTalking, status, messageId, callback, FormBody.Encode(form), FormBody.ContentType, [], parent);
        };
}
