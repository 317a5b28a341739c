// The simulator page: every action is posted to /simulator/send, which signs (and encrypts)
// WeChat's XML and sends it through the real /wechat route.
(function () {
  const log = document.getElementById("log");
  const text = document.getElementById("text");
  let voice = false;

  function bubble(who, content) {
    const row = document.createElement("div");
    row.className = "msg " + who;
    const b = document.createElement("div");
    b.className = "bubble";
    b.textContent = content;
    row.appendChild(b);
    log.appendChild(row);
    log.scrollTop = log.scrollHeight;
    return b;
  }

  function showReply(reply) {
    if (reply.type === "none") { bubble("note", "（公众号没有回复）"); return; }
    if (reply.type === "error") { bubble("note", "⚠️ " + reply.content); return; }
    if (reply.articles && reply.articles.length) {
      const b = bubble("bot", "");
      reply.articles.forEach(function (a) {
        const card = document.createElement("div");
        card.className = "article";
        const title = document.createElement("a");
        title.href = a.url || "#"; title.target = "_blank"; title.textContent = a.title || "";
        const desc = document.createElement("div");
        desc.textContent = a.description || "";
        card.appendChild(title); card.appendChild(desc);
        b.appendChild(card);
      });
      return;
    }
    bubble("bot", reply.content);
  }

  async function send(kind, data, shown) {
    if (shown) bubble("me", shown);
    const body = Object.assign({ openid: document.getElementById("openid").value, kind: kind }, data);
    try {
      const res = await fetch("/simulator/send", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      showReply(await res.json());
    } catch (err) {
      bubble("note", "⚠️ 发送失败：" + err);
    }
  }

  document.getElementById("composer").addEventListener("submit", function (e) {
    e.preventDefault();
    const content = text.value.trim();
    if (!content) return;
    text.value = "";
    send(voice ? "voice" : "text", { content: content }, (voice ? "🎤 " : "") + content);
  });
  document.getElementById("voice-toggle").addEventListener("click", function () {
    voice = !voice;
    document.body.classList.toggle("voice", voice);
    text.placeholder = voice ? "说的话（模拟语音识别结果）" : "输入消息，如：电池是什么垃圾";
  });
  document.getElementById("more").addEventListener("click", function () {
    const extras = document.getElementById("extras");
    extras.hidden = !extras.hidden;
  });
  document.getElementById("show-location").addEventListener("click", function () {
    const panel = document.getElementById("location-panel");
    panel.hidden = !panel.hidden;
  });
  document.getElementById("map").addEventListener("click", function (e) {
    const box = e.currentTarget.getBoundingClientRect();
    const x = (e.clientX - box.left) / box.width, y = (e.clientY - box.top) / box.height;
    document.getElementById("lat").value = (29.31 - y * 0.04).toFixed(5);
    document.getElementById("lng").value = (106.23 + x * 0.07).toFixed(5);
  });
  document.getElementById("send-location").addEventListener("click", function () {
    const lat = document.getElementById("lat").value, lng = document.getElementById("lng").value;
    const label = document.getElementById("label").value;
    send("location", { lat: lat, lng: lng, label: label }, "📍 " + (label || lat + "," + lng));
  });
  document.getElementById("send-image").addEventListener("click", function () {
    send("image", { pic_url: location.origin + "/static/simulator/photo.svg" }, "🖼 [图片]");
  });
  document.getElementById("subscribe").addEventListener("click", function () {
    send("subscribe", {}, "➕ 关注公众号");
  });
  document.getElementById("scan").addEventListener("click", function () {
    const code = prompt("学校代码", "JJZX");
    if (code) send("scan", { scene: "school:" + code }, "▣ 扫码：" + code);
  });
  document.getElementById("menu").addEventListener("click", function (e) {
    const key = e.target.getAttribute && e.target.getAttribute("data-key");
    if (key) send("click", { key: key }, "☰ " + e.target.textContent);
  });
  bubble("note", "这是本地模拟器：消息经签名" + "后发往真实的 /wechat 接口。试试「帮助」。");
})();
