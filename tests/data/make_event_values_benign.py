"""Writes ``event_values_benign.jsonl``: ordinary values that real events carry, by category.

Hand-written templates filled by small seeded generators (``random.Random(SEED)``), so the file
is the same on every run: ``python tests/data/make_event_values_benign.py``. No line is copied
from another project's data; every value is what an honest browser, SDK, service or user sends.
A whole SQL statement, a script tag or a shell command line is *not* here: the detectors'
docstrings say those are what they catch (see ``test_event_values_benign.py``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
from collections.abc import Callable, Iterator
from pathlib import Path

SEED = 20261130
PER_GENERATOR = 12  # values drawn from each generator
OUT = Path(__file__).with_name("event_values_benign.jsonl")

R = random.Random(SEED)


def pick(*xs: str) -> str:
    return R.choice(xs)


def alnum(n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(R.choice(alphabet) for _ in range(n))


def hexs(n: int) -> str:
    return alnum(n, "0123456789abcdef")


def b64(n: int, url: bool = False) -> str:
    raw = bytes(R.randrange(256) for _ in range(n))
    enc = base64.urlsafe_b64encode(raw) if url else base64.b64encode(raw)
    return enc.decode().rstrip("=") if url else enc.decode()


def uuid() -> str:
    h = hexs(32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def ulid() -> str:
    return alnum(26, "0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def jwt() -> str:
    head = base64.urlsafe_b64encode(
        json.dumps({"alg": pick("RS256", "HS256", "ES256"), "typ": "JWT", "kid": hexs(8)}).encode()
    )
    body = {
        "sub": uuid(),
        "iss": pick(
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12Cd34E",
            "https://login.example.com/",
        ),
        "aud": alnum(26),
        "exp": R.randrange(1700000000, 1800000000),
        "email": f"{pick('ann', 'li.wei', 'o.brien')}@example.com",
        "scope": "openid profile email",
    }
    claims = base64.urlsafe_b64encode(json.dumps(body).encode())
    return f"{head.decode().rstrip('=')}.{claims.decode().rstrip('=')}.{b64(R.choice((32, 64, 256)), url=True)}"


def ip() -> str:
    return ".".join(str(R.randrange(1, 255)) for _ in range(4))


def ip6() -> str:
    return ":".join(hexs(4) for _ in range(8))


NAMES = [
    "Ann",
    "Bob",
    "O'Brien",
    "D'Angelo",
    "Zoë",
    "José",
    "Björn",
    "Siobhán",
    "Nguyễn",
    "Ólafur",
    "Mary-Jane",
    "Li Wei",
]
WORDS = [
    "order",
    "select",
    "union",
    "drop",
    "table",
    "script",
    "echo",
    "cat",
    "alert",
    "where",
    "from",
    "join",
    "update",
    "insert",
    "delete",
    "exec",
    "system",
    "eval",
    "import",
    "sleep",
    "ping",
    "load",
    "data",
    "file",
    "user",
    "admin",
]
HOSTS = [
    "example.com",
    "shop.example.co.uk",
    "api.example.io",
    "cdn.example.net",
    "app.example.org",
    "www.example.de",
]


def user_agent() -> str:
    v = R.randrange(90, 132)
    return pick(
        f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.{R.randrange(1000, 7000)}.{R.randrange(10, 200)} Safari/537.36",
        f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.{R.randrange(0, 6)} Safari/605.1.15",
        f"Mozilla/5.0 (X11; Linux x86_64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0",
        f"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/{v}.0.0.41.111;FBBV/{R.randrange(10**8)}]",
        f"Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Mobile Safari/537.36 EdgA/{v}.0",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        f"curl/8.{R.randrange(0, 10)}.{R.randrange(0, 3)}",
        f"okhttp/4.{R.randrange(9, 13)}.0",
        f"aws-cli/2.{R.randrange(10, 20)}.{R.randrange(0, 40)} Python/3.11.8 Linux/6.1.0 exe/x86_64.amzn.2 prompt/off command/s3.cp",
        f"Boto3/1.34.{R.randrange(0, 99)} md/Botocore#1.34.{R.randrange(0, 99)} ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.{R.randrange(0, 99)}",
        f"aws-sdk-js/3.{R.randrange(400, 600)}.0 ua/2.0 os/linux#5.10 lang/js md/nodejs#20.11.1 api/dynamodb#3.500.0",
        "aws-sdk-java/2.25.1 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy",
        f"python-requests/2.{R.randrange(25, 32)}.0",
        "Go-http-client/2.0",
        "PostmanRuntime/7.36.3",
        "Wget/1.21.4",
        "Dalvik/2.1.0 (Linux; U; Android 13; Pixel 7 Build/TQ3A.230901.001)",
        "Amazon CloudFront",
        "ELB-HealthChecker/2.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Trident/7.0; rv:11.0) like Gecko",
        "Opera/9.80 (Windows NT 6.1; U; en) Presto/2.10.229 Version/11.62",
        "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
        "axios/1.6.7",
        "Java/17.0.2",
        "Apache-HttpClient/4.5.14 (Java/17.0.9)",
        "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17231; Pro)",
        "WhatsApp/2.24.6.77 A",
        "Twitterbot/1.0",
        "UptimeRobot/2.0; http://www.uptimerobot.com/",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        "Expo/2.31.2 CFNetwork/1494.0.7 Darwin/23.4.0",
        "MyApp/3.2.1 (com.example.myapp; build:452; iOS 17.4.1) Alamofire/5.8.1",
    )


def accept() -> str:
    return pick(
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
        "application/json, text/plain, */*",
        "*/*",
        "image/avif,image/webp,*/*",
        "en-US,en;q=0.9",
        "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7",
        "zh-CN,zh;q=0.9,en;q=0.8,zh-TW;q=0.7",
        "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5",
        "gzip, deflate, br, zstd",
        "identity",
        "application/vnd.github+json",
        'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"',
        "text/event-stream",
    )


def cookie() -> str:
    ga = f"GA1.2.{R.randrange(10**9)}.{R.randrange(1600000000, 1800000000)}"
    return pick(
        f"_ga={ga}; _gid=GA1.2.{R.randrange(10**9)}.{R.randrange(10**9)}; _gat_UA-{R.randrange(10**7)}-1=1",
        f"sessionid={alnum(32)}; csrftoken={alnum(64)}",
        f"JSESSIONID={hexs(32).upper()}; Path=/; Secure; HttpOnly",
        f"PHPSESSID={alnum(26, string.ascii_lowercase + string.digits)}",
        f"connect.sid=s%3A{alnum(32)}.{b64(32)}",
        f"OptanonConsent=isGpcEnabled=0&datestamp=Mon+Nov+30+2026+08%3A12%3A01+GMT%2B0100+(Central+European+Standard+Time)&version=202310.1.0&browserGpcFlag=0&isIABGlobal=false&hosts=&consentId={uuid()}&interactionCount=1&landingPath=NotLandingPage&groups=C0001%3A1%2CC0002%3A0%2CC0003%3A1%2CC0004%3A0",
        f"euconsent-v2=CP{alnum(40, string.ascii_uppercase + string.digits)}.YAAAAAAAAAAA",
        f"CookieConsent={{stamp:%27{b64(30)}%27%2Cnecessary:true%2Cpreferences:false%2Cstatistics:true%2Cmarketing:false%2Cmethod:%27explicit%27%2Cver:1%2Cutc:{R.randrange(10**12, 10**13)}%2Cregion:%27de%27}}",
        f"id_token={jwt()}; theme=dark; lang=en-GB",
        f"__Host-session={b64(48, url=True)}; __Secure-3PSID={alnum(40)}",
        f"cart=%5B%7B%22sku%22%3A%22A-{R.randrange(1000)}%22%2C%22qty%22%3A2%7D%5D; currency=EUR",
        f"_fbp=fb.1.{R.randrange(10**12, 10**13)}.{R.randrange(10**9)}; _hjSessionUser_{R.randrange(10**6)}=eyJpZCI6IjEyMyJ9",
        f"AWSALB={b64(90)}; AWSALBCORS={b64(90)}",
        "ajs_anonymous_id=%22" + uuid() + "%22; ajs_user_id=null",
    )


def authorization() -> str:
    return pick(
        f"Bearer {jwt()}",
        f"Bearer {alnum(40)}",
        f"Basic {base64.b64encode(f'{pick(*NAMES)}:{alnum(12)}'.encode()).decode()}",
        f"AWS4-HMAC-SHA256 Credential=AKIA{alnum(16, string.ascii_uppercase + string.digits)}/20261130/eu-west-1/execute-api/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature={hexs(64)}",
        f"token ghp_{alnum(36)}",
        f'Digest username="ann", realm="api@example.com", nonce="{hexs(32)}", uri="/dir/index.html?x=1", qop=auth, nc=00000001, cnonce="{hexs(8)}", response="{hexs(32)}"',
        f"ApiKey {b64(24)}",
    )


def query(n: int) -> str:
    keys = [
        "q",
        "page",
        "sort",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_content",
        "utm_term",
        "ref",
        "lang",
        "gclid",
        "fbclid",
        "id",
        "filter[status]",
        "fields[]",
        "per_page",
    ]
    vals = [
        "newsletter",
        "email",
        "cpc",
        "spring_sale_2026",
        "blue+shoes",
        "price%3Adesc",
        "1",
        "en",
        alnum(20),
        "active",
        "name%2Cemail",
        "summer%20sale",
        "a%26b",
        "50%25+off",
        "-created_at",
    ]
    return "&".join(f"{R.choice(keys)}={R.choice(vals)}" for _ in range(n))


def referer() -> str:
    return pick(
        f"https://{R.choice(HOSTS)}/products/{R.randrange(10**5)}?{query(R.randrange(1, 5))}#reviews",
        f"https://www.google.com/search?q={pick('union+jack+flag', 'drop+leaf+table', 'select+comfort+bed', 'echo+dot+price')}&oq=drop&sourceid=chrome&ie=UTF-8",
        f"https://{R.choice(HOSTS)}/#/dashboard?tab=orders&range=7d",
        f"https://{R.choice(HOSTS)}/search?q=%22exact+phrase%22+-exclude&page=2#top",
        "android-app://com.google.android.gm/",
        f"https://l.facebook.com/l.php?u=https%3A%2F%2F{R.choice(HOSTS)}%2Fsale%3Futm_source%3Dfb&h=AT{alnum(40)}",
        f"https://{R.choice(HOSTS)}/docs/getting-started#install-the-cli",
    )


def xff() -> str:
    return pick(
        ", ".join(ip() for _ in range(R.randrange(1, 5))),
        f"{ip6()}, {ip()}",
        f"for={ip()};proto=https;by={ip()}",
        f'for="[{ip6()}]:4711";proto=http',
    )


def headers_misc() -> str:
    return pick(
        f"attachment; filename=\"{pick('report Q3 (final).pdf', 'Résumé.docx', 'invoice #2291.pdf', 'a&b; notes.txt')}\"; filename*=UTF-8''R%C3%A9sum%C3%A9.docx",
        'form-data; name="file"; filename="photo 2026-11-30 at 08.12.01.jpeg"',
        pick(
            "no-cache, no-store, must-revalidate",
            "public, max-age=31536000, immutable",
            "private, max-age=0, s-maxage=60, stale-while-revalidate=30",
            "max-age=0",
        ),
        pick(f'"{hexs(32)}"', f'W/"{hexs(8)}-{b64(20)}"', f'"{hexs(32)}-{R.randrange(2, 20)}"'),
        "default-src 'self'; script-src 'self' 'nonce-"
        + b64(16)
        + "' https://cdn.example.net; style-src 'self' 'unsafe-inline'; img-src * data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; report-uri /csp-report",
        f'<https://api.example.com/items?page={R.randrange(2, 9)}&per_page=50>; rel="next", <https://api.example.com/items?page=42&per_page=50>; rel="last"',
        "</static/app.css>; rel=preload; as=style, </static/app.js>; rel=modulepreload",
        f"multipart/form-data; boundary=----WebKitFormBoundary{alnum(16)}",
        f'multipart/mixed; boundary="--=_Part_{R.randrange(10**6)}_{R.randrange(10**9)}.{R.randrange(10**13)}"',
        "max-age=63072000; includeSubDomains; preload",
        f"Root=1-{hexs(8)}-{hexs(24)};Parent={hexs(16)};Sampled=1",
        f"00-{hexs(32)}-{hexs(16)}-01",
        "same-origin",
        'geolocation=(), camera=(), microphone=(self "https://meet.example.com")',
        '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
        f"sha-256=:{b64(32)}:",
        f"bytes=0-{R.randrange(1000, 10**6)}",
        "Sat, 30 Nov 2026 08:12:01 GMT",
        "keep-alive",
        "text/html; charset=utf-8",
    )


def signed_url() -> str:
    key = pick(
        "uploads/2026/11/IMG_0042.JPG",
        "invoices/inv-2291.pdf",
        "users/" + uuid() + "/avatar.png",
        "exports/report%20Q3%20(final).csv",
    )
    return pick(
        f"https://my-bucket.s3.eu-west-1.amazonaws.com/{key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIA{alnum(16, string.ascii_uppercase)}%2F20261130%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20261130T081201Z&X-Amz-Expires=3600&X-Amz-Security-Token={b64(120).replace('+', '%2B').replace('/', '%2F').replace('=', '%3D')}&X-Amz-SignedHeaders=host&X-Amz-Signature={hexs(64)}",
        f"https://d111111abcdef8.cloudfront.net/{key}?Expires={R.randrange(1700000000, 1800000000)}&Signature={b64(128).replace('+', '-').replace('=', '_').replace('/', '~')}&Key-Pair-Id=K{alnum(13, string.ascii_uppercase + string.digits)}",
        f"https://storage.googleapis.com/example-bucket/{key}?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=svc%40proj.iam.gserviceaccount.com%2F20261130%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261130T081201Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature={hexs(128)}",
        f"https://examplestore.blob.core.windows.net/files/{key}?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-01T08:12:01Z&st=2026-11-30T00:12:01Z&spr=https&sig={b64(32).replace('+', '%2B').replace('/', '%2F').replace('=', '%3D')}",
        f"s3://my-bucket/{key}",
    )


def oauth() -> str:
    return pick(
        f"https://auth.example.com/oauth2/authorize?response_type=code&client_id={alnum(26)}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&scope=openid+profile+email&state={b64(16, url=True)}&code_challenge={b64(32, url=True)}&code_challenge_method=S256",
        f"https://app.example.com/callback?code={uuid()}&state={b64(16, url=True)}",
        f"https://app.example.com/callback#access_token={alnum(40)}&token_type=Bearer&expires_in=3600&state={hexs(16)}",
        f"com.example.app://oauth/callback?code={alnum(30)}",
        "http://localhost:3000/api/auth/callback/cognito",
        f"https://{R.choice(HOSTS)}/landing?{query(R.randrange(3, 7))}",
        f"https://accounts.google.com/o/oauth2/v2/auth?client_id={R.randrange(10**11)}-{alnum(32, string.ascii_lowercase + string.digits)}.apps.googleusercontent.com&redirect_uri=https://app.example.com/login&response_type=code&scope=https://www.googleapis.com/auth/userinfo.email%20openid&access_type=offline&prompt=consent",
    )


def arn_ids() -> str:
    return pick(
        f"arn:aws:lambda:eu-west-1:{R.randrange(10**11, 10**12)}:function:orders-api-{pick('dev', 'prod')}:$LATEST",
        f"arn:aws:iam::{R.randrange(10**11, 10**12)}:role/service-role/my-func-role-{alnum(8, string.ascii_lowercase)}",
        "arn:aws:s3:::my-bucket/uploads/*",
        f"arn:aws:dynamodb:us-east-1:{R.randrange(10**11, 10**12)}:table/Orders/stream/2026-11-30T08:12:01.123",
        f"arn:aws:states:us-east-1:{R.randrange(10**11, 10**12)}:execution:OrderFlow:{uuid()}",
        f"arn:aws:sts::{R.randrange(10**11, 10**12)}:assumed-role/Admin/ann@example.com",
        f"arn:aws:execute-api:eu-west-1:{R.randrange(10**11, 10**12)}:abc123/prod/GET/orders/{{id}}",
        uuid(),
        uuid().upper(),
        ulid(),
        f"ord_{ulid()}",
        f"cus_{alnum(14)}",
        f"pi_{alnum(24)}_secret_{alnum(25)}",
        b64(R.randrange(8, 120)),
        b64(R.randrange(8, 60), url=True),
        hexs(R.choice((32, 40, 64))),
        f"sha256:{hashlib.sha256(alnum(10).encode()).hexdigest()}",
        f"sha512-{b64(64)}",
        jwt(),
        f"{R.randrange(10**17, 10**18)}",
        f"{hexs(24)}",
        f"AROA{alnum(17, string.ascii_uppercase + string.digits)}:botocore-session-{R.randrange(10**10)}",
    )


def iban_phone() -> str:
    return pick(
        f"GB{R.randrange(10, 99)} NWBK 6016 1331 9268 19",
        f"DE{R.randrange(10, 99)} 3704 0044 0532 0130 00",
        "FR76 3000 6000 0112 3456 7890 189",
        f"NL{R.randrange(10, 99)}ABNA0417164300",
        "CH93 0076 2011 6238 5295 7",
        f"+1 (555) {R.randrange(100, 999)}-{R.randrange(1000, 9999)}",
        f"+44 20 7946 {R.randrange(1000, 9999)}",
        f"+49 (0)30 {R.randrange(10**6, 10**7)}",
        f"+33 6 12 34 56 {R.randrange(10, 99)}",
        f"(03) 9{R.randrange(100, 999)} {R.randrange(1000, 9999)}",
        f"+81-3-1234-{R.randrange(1000, 9999)}",
        f"555.{R.randrange(100, 999)}.{R.randrange(1000, 9999)} ext. {R.randrange(10, 999)}",
        f"tel:+1-555-{R.randrange(100, 999)}-{R.randrange(1000, 9999)};ext=12",
        "+86 138 0013 8000",
        "+971 50 123 4567",
        "1-800-FLOWERS",
        "4111 1111 1111 1111",
        "12/28",
        "DE89370400440532013000",
        f"SWIFT/BIC: DEUTDEFF{R.choice(['', '500'])}",
    )


def address() -> str:
    return pick(
        f"{R.randrange(1, 999)} O'Connell St., Apt. #{R.randrange(1, 40)}, Dublin 1, D01 F5P2, Ireland",
        f"Flat {R.randrange(1, 30)}/{R.randrange(1, 9)}, 10 Downing St, London SW1A 2AA",
        "Hauptstraße 5, 10115 Berlin (Hinterhaus, 3. OG)",
        "1600 Amphitheatre Pkwy, Mountain View, CA 94043, USA",
        "〒100-0005 東京都千代田区丸の内1丁目9-1",
        "北京市朝阳区建国路88号 SOHO现代城 A座 1001室",
        "서울특별시 중구 세종대로 110",
        "ул. Тверская, д. 7, кв. 12, Москва, 125009",
        "شارع الملك فهد، الرياض 12345، المملكة العربية السعودية",
        "Rua Augusta, 1500 - Consolação, São Paulo - SP, 01304-001",
        "C/ de Mallorca, 401, 08013 Barcelona",
        "P.O. Box 1234; Station A; Toronto, ON M5W 1E6",
        "c/o Smith & Sons Ltd., Unit 4 - 6, Drop Lane, Leeds LS1 4AP",
        "Select Business Park, Bldg. B | Suite 200 | Austin, TX 78701",
        "12 rue de l'Église, 75004 Paris",
        f"Lot {R.randrange(1, 99)}; Jalan Ampang <near KLCC>, 50450 Kuala Lumpur",
    )


def email() -> str:
    return pick(
        f"{pick('ann', 'bob', 'li.wei')}+{pick('newsletter', 'orders', 'test-1')}@example.com",
        '"john doe"@example.org',
        '"very.(),:;<>[]\\".VERY.\\"very@\\\\ \\"very\\".unusual"@strange.example.com',
        "o'brien@example.ie",
        "user%example.com@example.org",
        "admin@[192.168.2.1]",
        "x@example.museum",
        "Ann Smith <ann.smith@example.com>",
        '"Smith, Ann" <ann@example.com>, bob@example.com',
        "josé.garcía@correo.example.es",
        "用户@例子.广告",
        "first.last@sub.domain.example.co.uk",
        "noreply+bounce-" + hexs(12) + "@mail.example.net",
        "mailto:support@example.com?subject=Order%20%232291&body=Hi%20there",
    )


def dates_money_versions() -> str:
    return pick(
        "2026-11-30T08:12:01Z",
        "2026-11-30T08:12:01.123456+05:30",
        "Mon, 30 Nov 2026 08:12:01 -0800",
        "30/11/2026 08:12",
        "11/30/26 8:12 AM",
        "30.11.2026",
        "2026年11月30日",
        "Nov 30th, 2026 @ 8pm",
        "20261130T081201Z",
        "1764490321",
        "P1Y2M10DT2H30M",
        "08:12:01.123",
        "Q4 2026",
        "week 48/2026",
        "2026-W48-1",
        "from 9:00-17:30 (Mon-Fri)",
        "$1,299.99",
        "€ 1.299,99",
        "£12.50 + VAT",
        "¥12,000",
        "CHF 1'234.50",
        "-$45.00 (refund)",
        "USD 1.2M",
        "50% off!",
        "₹1,23,456.00",
        "3 x 2.50 = 7.50",
        "1/2 price",
        "10–20% discount",
        "v1.2.3-rc.1+build.5",
        "1.0.0-alpha.beta",
        "2.0.0+20261130.sha.5114f85",
        ">=1.2 <2.0",
        "^1.0 || ~2.3",
        ">=1.2.7 <1.3.0 || 2.x",
        "~> 3.2",
        "==3.12.*",
        "!=1.4.0",
        "1.2.x - 2.3.4",
        "*",
        "latest",
        'python_version >= "3.11"',
        "numpy>=1.26,<2.0; python_version<'3.13'",
        "0 12 * * ?",
        "*/5 * * * *",
        "cron(0 10 * * ? *)",
        "rate(5 minutes)",
        "0 0 1-7 * 1",
        "30 2 * * 1-5",
        "@daily",
        "0 9-17/2 * * MON-FRI",
    )


def files() -> str:
    return pick(
        "C:\\Users\\Ann\\Documents\\Résumé (final).docx",
        "D:\\Photos\\2026\\IMG_0042.JPG",
        "\\\\fileserver\\share\\Q3 report.xlsx",
        "photos/2026/11/IMG_0042.JPG",
        "docs/README.md",
        "src/app/components/Button.tsx",
        "./build/output.zip",
        "~/Downloads/invoice.pdf",
        "Screenshot 2026-11-30 at 08.12.01.png",
        "my file (1).pdf",
        "report_v2.final.FINAL.docx",
        "data.tar.gz",
        "backup-2026-11-30.sql.gz",
        "union-jack.svg",
        "select_all.png",
        "drop-table-plan.pdf",
        "script.js",
        "index.html",
        "config.yaml",
        "cat.gif",
        "passwords.txt",
        "/home/ann/projects/site/index.php",
        "/Users/bob/Library/Application Support/App/log.txt",
        "/var/task/handler.py",
        "/tmp/upload-" + hexs(8),
        "image/png",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "text/csv; charset=utf-8",
        "application/x-www-form-urlencoded",
        "application/ld+json",
        'video/mp4; codecs="avc1.42E01E, mp4a.40.2"',
        "application/octet-stream",
    )


def structured() -> str:
    sku = f"SKU-{R.randrange(1000, 9999)}"
    return pick(
        json.dumps(
            {
                "order_id": ulid(),
                "items": [{"sku": sku, "name": "Drop-leaf table", "qty": 1, "price": 249.0}],
                "note": "Leave at door; ring bell!",
            }
        ),
        json.dumps(
            {
                "event": "page_view",
                "path": "/select/plans",
                "referrer": "https://www.google.com/",
                "ts": 1764490321,
                "props": {"ab": "B", "utm": "union_jack"},
            }
        ),
        json.dumps(
            {
                "query": "shoes",
                "filters": {"size": [42, 43], "price": {"gte": 10, "lte": 100}},
                "sort": "-price",
            }
        ),
        json.dumps(
            {
                "type": "doc",
                "content": [
                    {
                        "type": "paragraph",
                        "content": [
                            {"type": "text", "text": "Hello world", "marks": [{"type": "bold"}]}
                        ],
                    }
                ],
            }
        ),
        "name: orders-api\nversion: 1.2.3\nenv:\n  - name: TABLE\n    value: Orders\nscripts:\n  build: npm run build && npm test\n",
        '---\ntitle: "Union Jack flag"\ntags: [flags, uk]\ndescription: >\n  Printed polyester; 90 x 150 cm.\n',
        '<?xml version="1.0" encoding="UTF-8"?>\n<order id="2291"><item sku="'
        + sku
        + '" qty="2">Echo Dot</item><note>Leave at door</note></order>',
        "<Envelope><Body><GetPrice><Item>Select Comfort mattress</Item></GetPrice></Body></Envelope>",
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetStock><Sku>'
        + sku
        + "</Sku></GetStock></soap:Body></soap:Envelope>",
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Union Jack news</title><link href="https://example.com/feed" rel="self"/></feed>',
        'id,name,price,description\n1,Drop-leaf table,249.00,"Oak, seats 4-6"\n2,"Union Jack flag",12.50,"90x150cm; polyester"\n',
        "sku;qty;price\n" + sku + ";2;19,99\n",
        "key=value&other=thing&list[]=1&list[]=2",
        "[1, 2, 3]",
        "{}",
        "null",
        "true",
        '{"a": {"b": {"c": [null, false, 1e-9]}}}',
    )


def markdown() -> str:
    return pick(
        "## Release notes\n\n- Fixed `select` dropdown on Safari\n- Added [docs](https://example.com/docs#setup)\n\n| Plan | Price |\n|------|------:|\n| Pro  | $12   |\n",
        "Use `npm run build` then `npm test`. See **Setup** in the [README](./README.md).",
        '> Quote from the customer:\n> "the page says *Error 500*"\n\n1. open app\n2. click **Pay**',
        '```json\n{"status": "ok"}\n```',
        '![screenshot](https://cdn.example.net/img/shot.png "Checkout page")',
        "- [x] write tests\n- [ ] update CHANGELOG\n\n~~old price~~ **new price**",
        "Footnote[^1].\n\n[^1]: See https://example.com/terms?section=3#refunds",
        "Price: <del>$20</del> $15 <3",
        "Escaping: use \\* for a literal asterisk and \\_ for underscore.",
    )


def html_rich() -> str:
    return pick(
        '<p>Hi Ann,</p><p>Your order <strong>#2291</strong> has shipped. <a href="https://shop.example.com/orders/2291?utm_source=email" target="_blank" rel="noopener noreferrer">Track it</a>.</p>',
        "<p>Thanks for the <em>quick</em> reply!<br>Best,<br>Bob</p>",
        '<ul><li>Item one</li><li>Item <b>two</b></li></ul><p style="text-align: center;">centered</p>',
        '<p><span style="color: rgb(230, 0, 0);">Important:</span> meeting moved to 3pm.</p>',
        '<h2 id="faq">FAQ</h2><ol><li><p>How do I <code>reset</code> my password?</p></li></ol>',
        '<blockquote class="gmail_quote" style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex">On Mon, Ann wrote:<br>see attached</blockquote>',
        '<table width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td align="center" bgcolor="#f4f4f4"><img src="https://cdn.example.net/logo.png" alt="Example" width="120" height="40"></td></tr></table>',
        '<div dir="rtl" lang="ar">مرحبا <b>بالعالم</b></div>',
        '<p><a href="mailto:support@example.com">support@example.com</a> · <a href="tel:+15551234567">call us</a></p>',
        "<p>I &lt;3 this product &amp; the support team!</p>",
        '<figure class="image"><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==" alt="pixel"><figcaption>Figure 1</figcaption></figure>',
        '<p class="ql-align-justify"><u>underlined</u> <s>struck</s> <sub>2</sub>O <sup>TM</sup></p>',
        '<div class="trix-content"><div>Line one<br><br></div><pre>code block</pre></div>',
        '<p data-pm-slice="1 1 []">Pasted from Notion</p>',
        '<a href="https://example.com/path?a=1&amp;b=2#frag" title="Example">link</a>',
        '<img src="https://example.com/cat.jpg" alt="A cat" loading="lazy">',
        '<input type="checkbox" checked disabled> Done',
        '<font face="Arial" size="2" color="#333333">Regards</font>',
        "<center><span style=\"font-family:'Segoe UI',sans-serif;font-size:11pt\">Confidential</span></center>",
        '<a href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==" download="pixel.png">pixel.png</a>',
        '<td background="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" bgcolor="#ffffff">&nbsp;</td>',
        '<!--[if mso]><table role="presentation"><tr><td><![endif]--><p>Newsletter</p><!--[if mso]></td></tr></table><![endif]-->',
    )


def product() -> str:
    return pick(
        "Drop-leaf table, solid oak",
        "Select Comfort Sleep Number bed",
        "Union Jack flag 3x5 ft",
        "Echo Dot (5th Gen) - Charcoal",
        "Script font pack: 12 handwritten typefaces",
        "I <3 NY mug",
        "Cat & Jack toddler tee",
        "DELETE key replacement for MacBook",
        "Rm 101 - Conference room",
        "Table tennis set (2 bats + 3 balls)",
        "Grep-resistant phone case",
        "Sleep mask; 100% silk",
        "Order by 3pm for next-day delivery",
        "Drop shipping available - select your region",
        "Admin panel license (1 year)",
        "Wget the dog plush toy",
        "Kill switch for e-bikes",
        "Ping pong table - indoor/outdoor",
        "Cat5e cable, 10 m",
        "Where's Waldo? Deluxe edition",
        "Alert bracelet - medical ID",
        "Eval board for STM32 (Nucleo-64)",
        "System of a Down - Toxicity (LP)",
        "Exec chair, leather, black",
        '"The Office" box set - seasons 1-9',
        "Bash & Co. party supplies",
        "Ls-2 headphones, 3.5 mm jack",
        "Python 3 crash course (2nd ed.)",
        "Sh*t happens t-shirt",
        "Tab & Grab storage bins - 3 pk",
        "100% cotton; wash at 40°C; do not tumble dry",
        "Net user guide booklet",
        "Fork & knife set <stainless>",
        "Having fun? Board game night kit",
        "OR-tools optimization book",
    )


def support() -> str:
    return pick(
        'Hi, I get "Error 500: Internal Server Error" when I click Pay. Screenshot attached.',
        "The app says 'Invalid token' and logs me out; happened twice today (iOS 17.4).",
        "Checkout fails with: TypeError: Cannot read properties of undefined (reading 'map')",
        "Getting ERR_CONNECTION_RESET on https://app.example.com/login?next=/account - please help!",
        'Upload failed: "File too large (max 10 MB)" but my file is 2.3 MB?!',
        "I can't log in; it says 'User O'Brien not found'. My email is o'brien@example.ie",
        "Your site shows {{ user.name }} instead of my name in the welcome email.",
        "Payment declined - code 05 (Do not honour). Card ends 4242.",
        "Hello,\n\nmy order #2291 hasn't arrived.\nTracking: 1Z999AA10123456784\n\nThanks,\nAnn",
        "The export CSV has '#N/A' and '=SUM(A1:A3)' in it, is that expected?",
        "Error: ENOENT: no such file or directory, open 'config.json'",
        "It shows: 403 Forbidden - nginx/1.24.0",
        'I tried again & again; still "Something went wrong (ref: 8f14e45f)".',
        "Why does my password need a symbol? I used P@ssw0rd!23 and it said too weak :(",
        "Can you delete my account and all my data please? GDPR request.",
        "Please drop me from the mailing list, thanks",
        "Select all the images with traffic lights... I failed the captcha 5 times",
        "the union rep asked me to forward this",
        "My name is 'Bobby Tables' haha, it broke your form? :)",
        "The page stuck at 'Loading...' - console says: Uncaught (in promise) Error: Network Error",
    )


def logs() -> str:
    t = "30/Nov/2026:08:12:01 +0000"
    return pick(
        f'{ip()} - - [{t}] "GET /products?page=2&sort=price HTTP/1.1" 200 5123 "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64)"',
        f'{ip()} - ann [{t}] "POST /api/v1/orders HTTP/2.0" 201 87 "-" "okhttp/4.12.0" rt=0.042 uct="0.001"',
        f"[Mon Nov 30 08:12:01.123456 2026] [proxy:error] [pid {R.randrange(10**4)}:tid {R.randrange(10**9)}] (111)Connection refused: AH00957: http: attempt to connect to 127.0.0.1:8080 (localhost) failed",
        json.dumps(
            {
                "level": "error",
                "time": "2026-11-30T08:12:01Z",
                "msg": "request failed",
                "status": 502,
                "path": "/api/orders",
                "err": "upstream timeout",
            }
        ),
        "START RequestId: " + uuid() + " Version: $LATEST",
        "REPORT RequestId: "
        + uuid()
        + "\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB",
        'Traceback (most recent call last):\n  File "/var/task/app.py", line 42, in handler\n    order = table.get_item(Key={"id": order_id})["Item"]\nKeyError: \'Item\'',
        'java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null\n\tat com.example.orders.OrderService.create(OrderService.java:57)\n\tat com.example.orders.OrderController.post(OrderController.java:31)',
        "TypeError: Cannot read properties of undefined (reading 'id')\n    at handler (/var/task/index.js:12:23)\n    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)",
        "2026-11-30 08:12:01,123 WARNING [orders.views] Slow query (1.2s) for user_id=42",
        'level=info ts=2026-11-30T08:12:01.123Z caller=main.go:42 msg="listening" addr=:8080',
        "ERROR 1045 (28000): Access denied for user 'app'@'10.0.1.5' (using password: YES)",
        'psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "users_email_key"\nDETAIL:  Key (email)=(ann@example.com) already exists.',
        "WARN  [2026-11-30 08:12:01] GC overhead: 12% (young: 34ms, old: 120ms)",
        "npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree",
    )


def math_code() -> str:
    return pick(
        "a < b && b > c",
        "x = y || z",
        "if (a > 0 && b < 10) return;",
        "f(x) = 2x + 1, for x >= 0",
        "1 < 2 > 0",
        "price * qty - discount",
        "n! / (k! * (n-k)!)",
        "p <= 0.05",
        "E = mc^2",
        "a != b",
        "[0, 1)",
        "{x | x > 0}",
        "i++ < n",
        "return a ?? b;",
        "const total = items.reduce((s, i) => s + i.price, 0);",
        "=SUM(A1:A10)/COUNT(B:B)",
        '=IF(A2>100,"high","low")',
        "list.map(x => x * 2).filter(Boolean)",
        "x -= 1; y += 2",
        "a <- c(1, 2, 3)",
        "SELECT-ed items: 3",
        "rate >= 4 or reviews > 100",
        "2 > 1 and 3 < 4",
        "O(n log n)",
        "∑ xᵢ / n ≥ μ",
    )


def multilingual() -> str:
    return pick(
        "こんにちは、注文番号は #2291 です。",
        "谢谢！请问什么时候发货？",
        "배송 언제 되나요? 🙏",
        "Привет! Заказ не пришёл, помогите пожалуйста.",
        "مرحبا، أريد إلغاء الطلب رقم ٢٢٩١",
        "שלום, ההזמנה שלי לא הגיעה",
        "\u202bRTL text\u202c with marks \u200f",
        "Ça marche très bien — merci ! 👍🏽",
        "Zoë's café — naïve résumé",
        "e\u0301 a\u0300 n\u0303 (combining accents)",
        "🎉🎉🎉 Happy birthday!!! 🎂",
        "👨‍👩‍👧‍👦 family pack",
        "Größe: XL; Farbe: Grün",
        "Ελληνικά: καλημέρα",
        "हिंदी में लिखा गया संदेश",
        "ภาษาไทย ขอบคุณครับ",
        "Tiếng Việt có dấu",
        "ｆｕｌｌｗｉｄｔｈ ｔｅｘｔ　ｓｐａｃｅ",
        "①②③ ㈱ ™ ℃",
        "zero\u200bwidth\u200cjoiner\u200d",
        "Ünïcödé ąčęėįšųūž",
    )


def search() -> str:
    return pick(
        '"exact phrase" -exclude site:example.com OR foo',
        "drop leaf table -ikea",
        "select comfort vs tempurpedic",
        "union jack flag filetype:pdf",
        'echo dot "5th gen" price',
        'intitle:"index of" mp3',
        "cats AND (dogs OR birds) NOT fish",
        'name:"Ann" AND created:>2026-01-01',
        "status:open label:bug is:issue",
        "tag:python -tag:django",
        "price:[10 TO 100]",
        "title:(quick OR brown) AND NOT fox",
        '"c:\\users" windows path',
        '"O\'Reilly" books',
        "how to exit vim :wq",
        "what does rm -rf do",
        "best cat tree 2026",
        "1 = 1 proof",
        "where is my order",
        "script for wedding speech",
    )


def graphql() -> str:
    return pick(
        "query GetOrder($id: ID!) { order(id: $id) { id total items { sku name qty } } }",
        "mutation AddItem($input: AddItemInput!) {\n  addItem(input: $input) { cart { id count } errors { field message } }\n}",
        '{ products(first: 10, filter: {name_contains: "table"}) { edges { node { id name } } } }',
        "query { me { ...UserFields } }\nfragment UserFields on User { id email }",
        'subscription OnOrder { orderUpdated(userId: "42") { id status } }',
        'query Search($q: String = "union jack") { search(q: $q) @include(if: true) { __typename ... on Product { name } } }',
    )


PROSE = [
    "Rock 'n' Roll Hall of Fame",
    "Guns N' Roses - Appetite for Destruction (LP)",
    "It's 5 o'clock somewhere; let's go",
    "Item 'A' or 'B' -- whichever is cheaper",
    "Order #12 and #13 were merged",
    "Kids' table & chairs set",
    "O'Reilly's \"Learning SQL\" (3rd ed.)",
    "He said 'select one' and left",
    "Sort by: price (low to high)",
    "Find my order",
    "Touch ID not working",
    "Kill Bill Vol. 1 (DVD)",
    "Top 10 gifts for dad",
    "Type C charger 65W",
    "Set of 4 glasses",
    "The delete button doesn't work",
    "I ran ping google.com and it works",
    "Our firewall blocks curl from the build server",
    "price > 100 & rating >= 4",
    "SELECT your size: S | M | L | XL",
    "1' x 2' rug",
    "6' 2\" tall, 180 lbs",
    "5'10\" and 'athletic'",
    "Tom & Jerry | Season 1 | DVD",
    "TODO: fix this && ship",
    "Path is /usr/local/lib/python3.12/site-packages",
    "Hi!! Can u pls chk my acct? thx :) <3 <3",
    "if a<b then c>d",
    "<<< back | next >>>",
    "-- Sent from my iPhone",
    "Regards,\n-- \nBob",
    "Rating: 4/5 -- would buy again",
    "Meet @ 10:30 -> lobby",
    "1 OR 2 tickets please",
    "Chapter 1 or 2 = intro",
    "Floor 3 & 4 closed; use floor 5",
    "table 5 = window seat",
    "union station, 3rd floor",
    "the data's all there; exec summary attached",
    "Please exec the contract by Friday",
    "sleep 8 hours",
    "echo chamber effect",
    "wget is not installed",
    "bash party at 8!",
    "Dig deeper into the data",
    "Hello {name}, your code is {code}",
    "%s and %d placeholders",
    "${price} per month",
    ":wq",
    "!important",
    "@everyone meeting in 5",
    "Echo Dot (5th Gen) - Charcoal",
    "Eval board for STM32 (Nucleo-64)",
    "Net user manual and setup guide",
    "Sleep Number 360 smart bed",
]


def prose() -> str:
    return R.choice(PROSE)


GENERATORS: dict[str, Callable[[], str]] = {
    "user_agent": user_agent,
    "accept": accept,
    "cookie": cookie,
    "authorization": authorization,
    "referer": referer,
    "forwarded": xff,
    "http_header": headers_misc,
    "signed_url": signed_url,
    "oauth_utm_url": oauth,
    "ids_tokens": arn_ids,
    "iban_phone": iban_phone,
    "address": address,
    "email": email,
    "date_money_version_cron": dates_money_versions,
    "file_path_mime": files,
    "structured": structured,
    "markdown": markdown,
    "html_rich_text": html_rich,
    "product": product,
    "support_message": support,
    "log_line": logs,
    "math_code_prose": math_code,
    "multilingual": multilingual,
    "search_query": search,
    "graphql": graphql,
    "prose_code_words": prose,
}


def rows() -> Iterator[dict[str, str]]:
    for category, gen in GENERATORS.items():
        seen: set[str] = set()
        for _ in range(PER_GENERATOR * 12):
            value = gen()
            if value not in seen:
                seen.add(value)
                yield {"class": "benign", "category": category, "payload": value}
            if len(seen) >= PER_GENERATOR * 5:
                break


def main() -> None:
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows():
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
