// The simulator page. Every action is posted to /simulator/send, which builds WeChat's XML,
// signs (and in safe mode encrypts) it and sends it through the real /wechat route.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const log = $("log"), text = $("text"), openidInput = $("openid"), userSelect = $("user");
  const urls = document.querySelector(".phone").dataset;
  // The map box's extent: around the district's first 街道/镇 (the page's data-map: south,west,north,east).
  const box = (urls.map || "29.25,106.20,29.33,106.32").split(",").map(Number);
  const MAP = { south: box[0], west: box[1], north: box[2], east: box[3] };
  const TITLE = $("title").textContent;
  let voice = false, pending = 0, lastStamp = 0;

  function el(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function stamp() {
    // WeChat shows the time above a message when a few minutes have passed.
    const now = Date.now();
    if (now - lastStamp < 3 * 60 * 1000) return;
    lastStamp = now;
    const t = new Date();
    log.appendChild(el("div", "stamp", t.toTimeString().slice(0, 5)));
  }

  function row(who) {
    const line = el("div", "msg " + who);
    const avatar = el("div", "avatar", who === "bot" ? "津" : userName().slice(-1));
    const bubble = el("div", "bubble");
    line.appendChild(avatar);
    line.appendChild(bubble);
    log.appendChild(line);
    return bubble;
  }

  function bubble(who, content) {
    if (who === "note") {
      log.appendChild(el("div", "note", content));
    } else {
      stamp();
      row(who).textContent = content;
    }
    scrollDown();
  }

  function userName() {
    const option = userSelect.options[userSelect.selectedIndex];
    return option && option.value ? option.textContent : "我";
  }

  function articleCard(articles) {
    const card = el("div", "articles");
    articles.forEach(function (a, i) {
      const link = el("a", i === 0 ? "article lead" : "article");
      link.href = a.url || "#";
      link.target = "_blank";
      link.rel = "noopener";
      if (a.picurl) {
        const img = el("img");
        img.src = a.picurl;
        img.alt = "";
        link.appendChild(img);
      }
      link.appendChild(el("div", "title", a.title || ""));
      if (articles.length === 1 && a.description) link.appendChild(el("div", "desc", a.description));
      card.appendChild(link);
    });
    return card;
  }

  function showReply(reply) {
    if (reply.type === "none") bubble("note", "（公众号没有回复）");
    else if (reply.type === "error") bubble("note", "⚠ " + reply.content);
    else if (reply.articles && reply.articles.length) {
      stamp();
      const b = row("bot");
      b.classList.add("card");
      b.appendChild(articleCard(reply.articles));
    } else bubble("bot", reply.content || "（" + reply.type + " 消息）");
    if ($("show-xml").checked && reply.sent_xml) showXml(reply);
    scrollDown();
  }

  function showXml(reply) {
    const box = el("details", "xml");
    box.appendChild(el("summary", "", "XML · /wechat 用时 " + reply.elapsed_ms + " ms"));
    box.appendChild(el("pre", "", "发出（加密前）：\n" + reply.sent_xml + "\n\n收到（解密后）：\n" + (reply.xml || "success")));
    log.appendChild(box);
  }

  function busy(delta) {
    pending += delta;
    $("title").textContent = pending > 0 ? "对方正在输入…" : TITLE;
  }

  async function send(kind, data) {
    const body = Object.assign({ openid: openidInput.value.trim(), kind: kind }, data);
    busy(1);
    try {
      const res = await fetch(urls.send, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      showReply(await res.json());
    } catch (err) {
      bubble("note", "⚠ 发送失败：" + err);
    } finally {
      busy(-1);
    }
  }

  // -- composer: text and voice ---------------------------------------------------------------
  $("composer").addEventListener("submit", function (e) {
    e.preventDefault();
    const content = text.value.trim();
    if (!content) return;
    text.value = "";
    if (voice) {
      stamp();
      const b = row("me");
      b.appendChild(el("span", "voice-len", "((( " + Math.min(60, 1 + Math.ceil(content.length / 4)) + "″"));
      b.appendChild(el("div", "recognition", content));
    } else bubble("me", content);
    send(voice ? "voice" : "text", { content: content });
  });
  $("voice-toggle").addEventListener("click", function () {
    voice = !voice;
    document.body.classList.toggle("voice", voice);
    this.textContent = voice ? "键" : "声";
    text.placeholder = voice ? "说的话（模拟语音识别结果），回车发送" : "输入消息，如：电池是什么垃圾";
    text.focus();
  });

  // -- panels: extras (+) and location ---------------------------------------------------------
  function toggle(id, show) {
    const panel = $(id);
    panel.hidden = show === undefined ? !panel.hidden : !show;
  }
  $("more").addEventListener("click", function () { toggle("extras"); toggle("location-panel", false); });
  document.querySelectorAll("[data-close]").forEach(function (b) {
    b.addEventListener("click", function () { toggle(b.getAttribute("data-close"), false); });
  });
  $("show-location").addEventListener("click", function () { toggle("extras", false); toggle("location-panel", true); placePin(); });

  function placePin() {
    const lat = parseFloat($("lat").value), lng = parseFloat($("lng").value);
    const pin = $("pin");
    const x = (lng - MAP.west) / (MAP.east - MAP.west), y = (MAP.north - lat) / (MAP.north - MAP.south);
    pin.hidden = !(x >= 0 && x <= 1 && y >= 0 && y <= 1);
    pin.style.left = (x * 100) + "%";
    pin.style.top = (y * 100) + "%";
  }
  $("map").addEventListener("click", function (e) {
    const box = e.currentTarget.getBoundingClientRect();
    const x = (e.clientX - box.left) / box.width, y = (e.clientY - box.top) / box.height;
    $("lat").value = (MAP.north - y * (MAP.north - MAP.south)).toFixed(5);
    $("lng").value = (MAP.west + x * (MAP.east - MAP.west)).toFixed(5);
    $("label").value = "";
    placePin();
  });
  ["lat", "lng"].forEach(function (id) { $(id).addEventListener("input", placePin); });
  $("send-location").addEventListener("click", function () {
    const lat = $("lat").value.trim(), lng = $("lng").value.trim(), label = $("label").value.trim();
    if (isNaN(parseFloat(lat)) || isNaN(parseFloat(lng))) { bubble("note", "请填写纬度和经度"); return; }
    stamp();
    const b = row("me");
    b.classList.add("card");
    const card = el("div", "location-card");
    card.appendChild(el("div", "title", label || "我的位置"));
    card.appendChild(el("div", "desc", lat + ", " + lng));
    card.appendChild(el("div", "mini-map"));
    b.appendChild(card);
    scrollDown();
    toggle("location-panel", false);
    send("location", { lat: lat, lng: lng, label: label });
  });

  // -- photos -----------------------------------------------------------------------------------
  function showPhoto(url) {
    stamp();
    const b = row("me");
    b.classList.add("photo");
    const img = el("img");
    img.src = url;
    img.alt = "照片";
    img.addEventListener("load", scrollDown);
    b.appendChild(img);
    scrollDown();
  }
  $("send-sample").addEventListener("click", function () {
    toggle("extras", false);
    const url = urls.sample;
    showPhoto(url);
    send("image", { pic_url: url });
  });
  $("photo-file").addEventListener("change", async function () {
    const file = this.files[0];
    this.value = "";
    if (!file) return;
    toggle("extras", false);
    const form = new FormData();
    form.append("image", file);
    const res = await fetch(urls.upload, { method: "POST", body: form });
    const saved = await res.json().catch(function () { return { error: "上传失败" }; });
    if (!res.ok) { bubble("note", "⚠ " + (saved.error || "上传失败")); return; }
    showPhoto(saved.pic_url);
    send("image", { pic_url: saved.pic_url, media_id: saved.media_id });
  });

  // -- events: subscribe, scan, unsubscribe, menu ----------------------------------------------
  function event(kind, data, note) {
    toggle("extras", false);
    bubble("note", note);
    send(kind, data);
  }
  $("subscribe").addEventListener("click", function () { event("subscribe", {}, userName() + " 关注了公众号"); });
  $("unsubscribe").addEventListener("click", function () { event("unsubscribe", {}, userName() + " 取消了关注"); });
  $("scan").addEventListener("click", function () {
    const schools = urls.schools ? urls.schools.split("|") : [];
    if (!schools.length) {
      alert("还没有登记学校。先在命令行登记一所，例如：\nflask --app bot quiz school add JJZX 重庆市江津中学校 --district 几江");
      return;
    }
    const code = prompt("学校代码（二维码里的 school:CODE）。已登记：\n" + schools.join("\n"), schools[0].split(" ")[0]);
    if (code) event("scan", { scene: "school:" + code.trim() }, userName() + " 扫了学校二维码 " + code.trim());
  });

  // -- pushes: what the bot sends later through WeChat's API (the local stand-in keeps them) ----
  const seen = {};
  async function pollPushes() {
    const openid = openidInput.value.trim();
    if (!urls.outbox || !openid) return;
    try {
      const res = await fetch(urls.outbox + "?openid=" + encodeURIComponent(openid));
      if (!res.ok) return;
      const pushes = await res.json();
      const first = !(openid in seen);
      seen[openid] = seen[openid] || new Set();
      pushes.forEach(function (p) {
        if (seen[openid].has(p.id)) return;
        seen[openid].add(p.id);
        if (first) return;  // what was pushed before the page opened is history, not news
        bubble("note", p.kind === "template" ? "模板消息（推送）" : "客服消息（推送）");
        bubble("bot", p.text);
      });
    } catch (err) { /* the next poll tries again */ }
  }
  setInterval(pollPushes, 2000);
  pollPushes();

  const menu = $("menu");
  function closeSubmenus(except) {
    menu.querySelectorAll(".submenu").forEach(function (s) { if (s !== except) s.hidden = true; });
  }
  menu.addEventListener("click", function (e) {
    const target = e.target.closest("button");
    if (!target) return;
    if (target.classList.contains("parent")) {
      const sub = target.nextElementSibling;
      closeSubmenus(sub);
      sub.hidden = !sub.hidden;
      return;
    }
    closeSubmenus();
    const key = target.getAttribute("data-key");
    if (key) event("click", { key: key }, "点击菜单「" + target.textContent + "」（" + key + "）");
  });
  document.addEventListener("click", function (e) { if (!menu.contains(e.target)) closeSubmenus(); });

  // -- who is chatting ---------------------------------------------------------------------------
  userSelect.addEventListener("change", function () {
    if (userSelect.value) openidInput.value = userSelect.value;
    else { openidInput.value = "o-" + Math.random().toString(36).slice(2, 10); openidInput.select(); }
    bubble("note", "现在是「" + userName() + "」（" + openidInput.value + "）在聊天");
  });

  bubble("note", "本地模拟器：每条消息都按微信的格式签名" + (urls.safe === "1" ? "、加密" : "") +
    "后发往真实的 /wechat 接口。试试「帮助」或下方菜单。");
  text.focus();
})();
