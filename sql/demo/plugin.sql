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
