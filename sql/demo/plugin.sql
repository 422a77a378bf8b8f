-- Demo rows in the plugin's tables. The loader sets @sip_realm (the realm
-- Kamailio challenges with) and @gateway_ip (the demo gateway's address).
SET NAMES utf8mb4;

INSERT INTO cc_sip_account (user_id, username, domain, ha1, ha1b) VALUES
  ('0u000000000000000000000000000002', '1001', @sip_realm, MD5(CONCAT('1001:', @sip_realm, ':sip1001')), MD5(CONCAT('1001@', @sip_realm, ':', @sip_realm, ':sip1001'))),
  ('0u000000000000000000000000000003', '1002', @sip_realm, MD5(CONCAT('1002:', @sip_realm, ':sip1002')), MD5(CONCAT('1002@', @sip_realm, ':', @sip_realm, ':sip1002'))),
  ('0u000000000000000000000000000004', '1003', @sip_realm, MD5(CONCAT('1003:', @sip_realm, ':sip1003')), MD5(CONCAT('1003@', @sip_realm, ':', @sip_realm, ':sip1003')));

INSERT INTO cc_agent (user_id) VALUES
  ('0u000000000000000000000000000002'), ('0u000000000000000000000000000003'), ('0u000000000000000000000000000004');

INSERT INTO cc_gateway (grp, ip_addr, mask, port, name) VALUES (1, @gateway_ip, 32, 0, '演示网关 demo gateway');

-- Prompts made at build time (build/prompts, copied into the audio folder).
INSERT INTO cc_audio (id, name, filename, kind) VALUES
  (1, '欢迎语 welcome', 'welcome.wav', 'prompt'),
  (2, '等待音乐 music on hold', 'moh.wav', 'music'),
  (3, '无人接听 no agent', 'noagent.wav', 'prompt');

-- An agent who lets one offer ring out goes on break (no_answer_break 1):
-- a small team notices at once.
INSERT INTO cc_skill_group (id, organ_id, name, ring_timeout_s, no_answer_break, max_wait_s, wrapup_s, moh_audio_id, no_agent_audio_id) VALUES
  (1, '0a000000000000000000000000000002', '客服一组', 15, 1, 60, 5, 2, 3);

-- 4001 is a short service number: kept as it is (not E.164), shown as typed.
INSERT INTO cc_number (number, display, name, `usage`, skill_group_id, welcome_audio_id) VALUES
  ('4001', '4001', '客服热线 service line', 'inbound', 1, 1);

-- A published IVR flow (docs/ivr.md): a menu on the welcome prompt, 1 to
-- the demo group's queue, 2 to a spoken notice and a hang-up; no key or a
-- wrong one, twice, to the queue as well. Its draft is its version 1.
SET @demo_flow = '<?xml version="1.0" encoding="UTF-8"?>
<flow xmlns="urn:cc:ivr-flow:1" name="演示菜单 demo menu">
  <start id="start" next="menu" x="40" y="200"/>
  <menu id="menu" fallback="queue" timeout-s="5" retries="1" x="240" y="200">
    <prompt audio="1"/>
    <key digit="1" next="queue"/>
    <key digit="2" next="info"/>
  </menu>
  <queue id="queue" group="1" next="bye" x="480" y="120"/>
  <play id="info" next="bye" x="480" y="300">
    <prompt tts="您好，我们的服务时间是每天九点到十八点，感谢来电。"/>
  </play>
  <hangup id="bye" x="720" y="200"/>
</flow>
';
INSERT INTO cc_ivr_flow (id, name, description, draft, draft_rev, draft_saved_at, draft_saved_by, published_version, published_rev) VALUES
  (1, '演示菜单 demo menu', '按 1 转人工，按 2 听服务时间', @demo_flow, 1, NOW(3), '0u000000000000000000000000000001', 1, 1);
INSERT INTO cc_ivr_version (flow_id, version, document, published_by) VALUES
  (1, 1, @demo_flow, '0u000000000000000000000000000001');

-- 4002 is answered by the demo flow instead of a skill group.
INSERT INTO cc_number (number, display, name, `usage`, ivr_flow_id) VALUES
  ('4002', '4002', '语音导航 IVR menu', 'inbound', 1);

-- Calling out (docs/outbound.md): the number the demo group presents as its
-- caller ID (outbound tasks, an agent's manual outbound and click-to-dial),
-- and an outbound task of five customers, stopped: 外呼系统 > 任务列表
-- starts it once an agent of the group is signed in with a registered
-- phone. (On loopback no carrier answers: its calls end unreached.)
INSERT INTO cc_number (id, number, display, name, `usage`) VALUES
  (3, '+862160001000', '021-6000 1000', '外呼专线 outbound line', 'outbound');
INSERT INTO cc_skill_group_number (skill_group_id, number_id) VALUES (1, 3);
INSERT INTO cc_task (id, name, skill_group_id, caller_id_number_id, caller_id, max_concurrency,
                     agent_ratio, pacing, max_attempts, min_interval_s, retry_results, hours,
                     time_zone, state, rows_total, rows_read, targets_total, created_by, updated_at) VALUES
  (1, '演示回访 demo follow-up', 1, 3, '+862160001000', 2, 150, 'ratio', 2, 600,
   'no_answer,busy,failed', 'mon-sun 09:00-21:00', 'Asia/Shanghai', 'stopped', 5, 5, 5,
   '0u000000000000000000000000000001', NOW(3));
INSERT INTO cc_task_target (task_id, line, number, contact_id, data) VALUES
  (1, 2, '+8613800138000', '0c000000000000000000000000000001', '{"姓名":"陈小明","订单号":"D-1001"}'),
  (1, 3, '+8613700137000', '0c000000000000000000000000000003', '{"姓名":"周杰","订单号":"D-1002"}'),
  (1, 4, '+8613600136001', NULL, '{"姓名":"吴敏","订单号":"D-1003"}'),
  (1, 5, '+8613600136002', NULL, '{"姓名":"郑浩","订单号":"D-1004"}'),
  (1, 6, '+8613600136003', NULL, '{"姓名":"冯丽","订单号":"D-1005"}');
