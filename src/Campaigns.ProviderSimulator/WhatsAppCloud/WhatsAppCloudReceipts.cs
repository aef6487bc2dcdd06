using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Campaigns.ProviderSimulator.Receipts;
using Campaigns.ProviderSimulator.Sending;

namespace Campaigns.ProviderSimulator.WhatsAppCloud;

/// <summary>
/// WhatsApp Cloud API status webhooks: JSON (<c>entry[].changes[].value.statuses[]</c>: <c>id</c>,
/// <c>status</c> sent | delivered | read | failed, <c>timestamp</c>, <c>recipient_id</c>, the send's
/// <c>biz_opaque_callback_data</c>, <c>errors</c> when failed) to the app's webhook, signed with the app secret.
/// </summary>
public static class WhatsAppCloudReceipts
{
    public const string CallbackPath = "/webhooks/whatsapp";

    // The simulated business account and number the webhooks name.
    private const string BusinessAccountId = "102290129340398";
    private const string DisplayPhoneNumber = "15550000000";

    public static Func<ReceiptStep, DateTimeOffset, Receipt> Builder(
        Uri callback, string appSecret, string phoneNumberId, string wamid, string recipientId, string? callbackData, ActivityContext parent) =>
        (step, at) =>
        {
            var status = step.Kind switch
            {
                ReceiptKind.Sent => "sent",
                ReceiptKind.Delivered => "delivered",
                ReceiptKind.Read => "read",
                _ => "failed",
            };
            var entry = new JsonObject
            {
                ["id"] = wamid,
                ["status"] = status,
                ["timestamp"] = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["recipient_id"] = recipientId,
            };
            if (callbackData is not null)
            {
                entry["biz_opaque_callback_data"] = callbackData;
            }
            if (step.Kind is ReceiptKind.Sent or ReceiptKind.Delivered)
            {
                entry["pricing"] = new JsonObject { ["billable"] = true, ["pricing_model"] = "PMP", ["category"] = "marketing", ["type"] = "regular" };
            }
            if (step.Kind == ReceiptKind.Undelivered)
            {
                entry["errors"] = new JsonArray(Error(step.ErrorCode));
            }
            var body = new JsonObject
            {
                ["object"] = "whatsapp_business_account",
                ["entry"] = new JsonArray(new JsonObject
                {
                    ["id"] = BusinessAccountId,
                    ["changes"] = new JsonArray(new JsonObject
                    {
                        ["value"] = new JsonObject
                        {
                            ["messaging_product"] = "whatsapp",
                            ["metadata"] = new JsonObject { ["display_phone_number"] = DisplayPhoneNumber, ["phone_number_id"] = phoneNumberId },
                            ["statuses"] = new JsonArray(entry),
                        },
                        ["field"] = "messages",
                    }),
                }),
            };
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
            return new Receipt(ProviderNames.WhatsAppCloud, status, wamid, callback, bytes, "application/json",
                [new(HubSignature.Header, HubSignature.Sign(bytes, appSecret))], parent);
        };

    private static JsonObject Error(string? errorCode)
    {
        var code = int.TryParse(errorCode, CultureInfo.InvariantCulture, out var parsed) ? parsed : WhatsAppCloudAnswers.Undeliverable;
        var title = code switch
        {
            WhatsAppCloudAnswers.Undeliverable => "Message undeliverable",
            131047 => "Re-engagement message",
            131049 => "This message was not delivered to maintain healthy ecosystem engagement.",
            _ => "Simulated failure",
        };
        return new JsonObject
        {
            ["code"] = code,
            ["title"] = title,
            ["message"] = title,
            ["error_data"] = new JsonObject { ["details"] = title + "." },
            ["href"] = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
        };
    }
}
