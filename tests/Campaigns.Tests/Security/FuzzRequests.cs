using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace Campaigns.Tests.Security;

/// <summary>A generated request: valid, boundary and hostile values on every endpoint.</summary>
public sealed record FuzzRequest(string Method, string Path, byte[]? Body, string? ContentType, JsonObject? Json)
{
    public override string ToString() =>
        $"{Method} {Path} [{ContentType}] {(Body is null ? "" : Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 300))))}";
}

/// <summary>Generators for <see cref="FuzzRequest"/>.</summary>
public static class FuzzRequests
{
    private static readonly string[] HostileStrings =
    [
        "'; DROP TABLE customers; --", "\" OR 1=1 --", "Robert'); DELETE FROM campaigns; --", "{first_name}", "{{first_name}}",
        "{coupon}", "{First_Name}", "{ phone }", "{{{location}}}", "${jndi:ldap://x/a}", "<script>alert(1)</script>", "a\u0000b",
        "\u0007\u001b[31mred", "\ud800", "x\udc00y", "\u202egnp.exe", "𝕳𝖊𝖑𝖑𝖔 😀👍🏽", "", " ", "\t\r\n", "NaN", "null", "true",
        "+254712345678", "0712 345 678", "712345678", "+1 (555) 010-9999 ext. 4", "%00%ff", "../../etc/passwd", "\\", "€{}[]~|^",
        new string('x', 4_097), string.Concat(Enumerable.Repeat("😀", 1_000)), new string('y', 100_000),
    ];

    private static readonly Gen<string> HostileText = Gen.OneOf(
        Gen.OneOf(HostileStrings),
        Gen.String,
        Gen.Char.Array[0, 40].Select(chars => new string(chars)));

    private static readonly Gen<string> PathId = Gen.OneOf(
        Gen.OneOf("1", "2", "3", "0", "-1", "abc", "1.5", "99999999999999999999", "9223372036854775807", "%20", "1e3", "0x10"),
        Gen.Long.Select(l => l.ToString()));

    /// <summary>A JSON value of any kind, biased towards the kind the member expects.</summary>
    private static Gen<JsonNode?> Value(Gen<JsonNode?> expected) => Gen.Frequency(
        (6, expected),
        (1, HostileText.Select(s => (JsonNode?)JsonValue.Create(s))),
        (1, Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l))),
        (1, Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)JsonValue.Create(d) : JsonValue.Create(0.5))),
        (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
        (1, Gen.Const((JsonNode?)null)),
        (1, Gen.Const<JsonNode?>(new JsonArray(1, "two", null))),
        (1, Gen.Const<JsonNode?>(new JsonObject { ["nested"] = new JsonObject { ["deeper"] = 1 } })));

    private static readonly Gen<JsonNode?> TextValue = HostileText.Select(s => (JsonNode?)JsonValue.Create(s));
    private static readonly Gen<JsonNode?> IdValue = Gen.OneOf(Gen.Long[-5, 5], Gen.Long).Select(l => (JsonNode?)JsonValue.Create(l));
    private static readonly Gen<JsonNode?> IdsValue = Gen.OneOf(Gen.Long[-3, 8], Gen.Long).Array[0, 20]
        .Select(ids => (JsonNode?)new JsonArray(ids.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()));
    private static readonly Gen<JsonNode?> ChannelValue = Gen.OneOf("sms", "whatsapp", "SMS", "fax", "").Select(s => (JsonNode?)JsonValue.Create(s));
    private static readonly Gen<JsonNode?> TimeValue = Gen.OneOf("2030-01-01T00:00:00Z", "2001-01-01T00:00:00Z", "tomorrow", "2030-13-45T99:00:00Z")
        .Select(s => (JsonNode?)JsonValue.Create(s));
    private static readonly Gen<JsonNode?> BoolValue = Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b));

    /// <summary>An object whose members are each present (with a value of any kind) or absent.</summary>
    private static Gen<JsonObject> Object(params (string Name, Gen<JsonNode?> Expected)[] members)
    {
        var chosen = Gen.Const(Array.Empty<(string Name, JsonNode? Value)>());
        foreach (var (name, expected) in members)
        {
            var member = Gen.Frequency(
                (2, Value(expected).Select(v => (Present: true, Value: v))),
                (1, Gen.Const((Present: false, Value: (JsonNode?)null))));
            chosen = Gen.Select(chosen, member, (sofar, m) => m.Present ? [.. sofar, (name, m.Value)] : sofar);
        }
        return chosen.Select(values =>
        {
            var json = new JsonObject();
            foreach (var (name, value) in values)
            {
                json[name] = value?.DeepClone();
            }
            return json;
        });
    }

    private static readonly Gen<JsonObject> Customer = Object(
        ("phone", Gen.OneOf(TextValue, Gen.OneOf("+254712000001", "0712000002", "712000003").Select(s => (JsonNode?)JsonValue.Create(s)))),
        ("first_name", TextValue), ("last_name", TextValue), ("location", TextValue), ("preferred_product", TextValue), ("opted_out", BoolValue));

    private static readonly Gen<JsonObject> Campaign = Object(
        ("name", TextValue), ("channel", ChannelValue), ("base_template", TextValue), ("scheduled_at", TimeValue));

    private static readonly Gen<JsonObject> Send = Gen.OneOf(
        Object(("customer_ids", IdsValue)),
        Object(("audience", Object(("location", TextValue), ("preferred_product", TextValue)).Select(o => (JsonNode?)o))),
        Object(("customer_ids", IdsValue), ("audience", Gen.Const<JsonNode?>(new JsonObject()))));

    private static readonly Gen<JsonObject> Preview = Object(("customer_id", IdValue), ("override_template", TextValue));

    private static readonly Gen<string> Query = Gen.Select(
            Gen.OneOf("page", "page_size", "cursor", "channel", "status", "phone", "location", "opted_out"),
            Gen.OneOf(HostileText.Select(s => s.Length > 300 ? s[..300] : s), Gen.OneOf("1", "0", "-7", "100000", "true", "sent", "sms")))
        .Array[0, 4]
        .Select(pairs => pairs.Length == 0 ? "" : "?" + string.Join("&", pairs.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}")));

    /// <summary>Raw bodies no JSON parser should accept, and extremes that one might choke on.</summary>
    private static readonly Gen<byte[]> RawBody = Gen.OneOf(
        new byte[] { 0xff, 0xfe, 0xc3, 0x28 },
        "{\"name\": \"\xC3\x28\"}"u8.ToArray(),
        "{\"name\":"u8.ToArray(),
        Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)),
        Encoding.UTF8.GetBytes("{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 101)),
        "phone,first_name\n+254712000009,\"unterminated\n"u8.ToArray(),
        Array.Empty<byte>());

    private static readonly Gen<string?> ContentType = Gen.Frequency(
        (8, Gen.Const<string?>("application/json")),
        (1, Gen.OneOf<string?>("text/csv", "text/plain", null, "application/json; charset=utf-16", "application/xml", "multipart/form-data")));

    private static Gen<FuzzRequest> WithBody(string method, Gen<string> path, Gen<JsonObject> json) =>
        Gen.Select(path, Gen.Frequency(
                (8, json.Select(j => (j, (byte[]?)Encoding.UTF8.GetBytes(j.ToJsonString())))),
                (1, RawBody.Select(b => ((JsonObject?)null, (byte[]?)b)))), ContentType)
            .Select((p, body, type) => new FuzzRequest(method, p, body.Item2, type, body.Item1));

    private static Gen<FuzzRequest> Bodyless(string method, Gen<string> path) =>
        path.Select(p => new FuzzRequest(method, p, null, null, null));

    private static Gen<string> Under(string prefix, string suffix = "") =>
        Gen.Select(PathId, Query).Select((id, q) => $"{prefix}/{Uri.EscapeDataString(id)}{suffix}{q}");

    private static readonly Gen<FuzzRequest> Import = Gen.Select(
            Gen.OneOf(Customer.Array[0, 5].Select(rows => (Encoding.UTF8.GetBytes(new JsonArray(rows.Select(r => (JsonNode?)r).ToArray()).ToJsonString()), "application/json")),
                      HostileText.Array[1, 5].Select(cells => (Encoding.UTF8.GetBytes("phone,first_name,location\n+254712000010," + string.Join(",", cells) + "\n"), "text/csv"))),
            ContentType)
        .Select((body, type) => new FuzzRequest("POST", "/customers/import", body.Item1, type == "application/json" ? body.Item2 : type, null));

    public static readonly Gen<FuzzRequest> Any = Gen.OneOf(
        WithBody("POST", Gen.Const("/customers"), Customer),
        Import,
        Bodyless("GET", Query.Select(q => "/customers" + q)),
        Bodyless("GET", Under("/customers")),
        WithBody("PATCH", Under("/customers"), Customer),
        Bodyless("DELETE", Under("/customers")),
        WithBody("POST", Gen.Const("/campaigns"), Campaign),
        Bodyless("GET", Query.Select(q => "/campaigns" + q)),
        Bodyless("GET", Under("/campaigns")),
        WithBody("PATCH", Under("/campaigns"), Campaign),
        Bodyless("DELETE", Under("/campaigns")),
        WithBody("POST", Under("/campaigns", "/send"), Send),
        WithBody("POST", Under("/campaigns", "/personalized-preview"), Preview),
        Bodyless("GET", Under("/campaigns", "/messages")),
        Bodyless("GET", Gen.Select(PathId, PathId).Select((c, m) => $"/campaigns/{Uri.EscapeDataString(c)}/messages/{Uri.EscapeDataString(m)}")),
        Bodyless("POST", Gen.Select(PathId, Gen.OneOf("pause", "resume", "cancel", "retry-failed")).Select((id, a) => $"/campaigns/{Uri.EscapeDataString(id)}/{a}")),
        Bodyless("PUT", Gen.OneOf("/campaigns", "/customers/1", "/nowhere")));
}
