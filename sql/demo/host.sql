-- Demo rows in the host's tables: an admin, three call-center agents and a
-- helpdesk user who is not an agent, one skill-group department, contacts.
-- Passwords are stored as the host stores them: md5(md5(plain)).
SET NAMES utf8mb4;

INSERT INTO uk_organ (ID, NAME, CODE, PARENT, SKILL, CREATETIME) VALUES
  ('0a000000000000000000000000000001', '总部', 'HQ', '0', 0, NOW()),
  ('0a000000000000000000000000000002', '客服一组', 'CS1', '0a000000000000000000000000000001', 1, NOW());

INSERT INTO cs_user (ID, USERNAME, PASSWORD, uname, email, mobile, agent, callcenter, admin, superadmin, createtime) VALUES
  ('0u000000000000000000000000000001', 'admin',  MD5(MD5('admin1234')), '管理员', 'admin@example.com', '13900000000', 0, 0, 1, 1, NOW()),
  ('0u000000000000000000000000000002', 'agent1', MD5(MD5('agent1234')), '张三', 'zhangsan@example.com', '13900000001', 1, 1, 0, 0, NOW()),
  ('0u000000000000000000000000000003', 'agent2', MD5(MD5('agent1234')), '李四', 'lisi@example.com', '13900000002', 1, 1, 0, 0, NOW()),
  ('0u000000000000000000000000000004', 'agent3', MD5(MD5('agent1234')), '王五', 'wangwu@example.com', '13900000003', 1, 1, 0, 0, NOW()),
  ('0u000000000000000000000000000005', 'staff1', MD5(MD5('staff1234')), '赵六', 'zhaoliu@example.com', '13900000004', 0, 0, 0, 0, NOW());

INSERT INTO cs_organ_user (userid, organ, createtime) VALUES
  ('0u000000000000000000000000000001', '0a000000000000000000000000000001', NOW()),
  ('0u000000000000000000000000000002', '0a000000000000000000000000000002', NOW()),
  ('0u000000000000000000000000000003', '0a000000000000000000000000000002', NOW()),
  ('0u000000000000000000000000000004', '0a000000000000000000000000000002', NOW()),
  ('0u000000000000000000000000000005', '0a000000000000000000000000000001', NOW());

-- Grants of the helpdesk's telephony resources to the skill-group department:
-- 坐席对话 (A01) and 语音渠道 (A10).
INSERT INTO uk_role (ID, NAME, CODE, CREATETIME) VALUES
  ('0r000000000000000000000000000001', '呼叫中心坐席', 'CCAGENT', NOW());
INSERT INTO uk_organrole (id, organ_id, role_id, dicvalue, createtime) VALUES
  ('0g000000000000000000000000000001', '0a000000000000000000000000000002', '0r000000000000000000000000000001', 'A01', NOW()),
  ('0g000000000000000000000000000002', '0a000000000000000000000000000002', '0r000000000000000000000000000001', 'A10', NOW());

-- Contacts, their numbers written the many ways a CRM holds them.
INSERT INTO uk_contacts (id, name, gender, email, mobileno, phone, familyphone, company, address, province, city, memo, organ, shares, creater, username, createtime, updatetime, datastatus) VALUES
  ('0c000000000000000000000000000001', '陈小明', '1', 'chenxm@example.com', '138 0013 8000', NULL, NULL, '北京示例科技有限公司', '北京市海淀区中关村大街1号', '北京', '北京', '老客户，关注售后服务', '0a000000000000000000000000000002', 'all', '0u000000000000000000000000000001', 'admin', NOW(), NOW(), 0),
  ('0c000000000000000000000000000002', '刘芳', '0', 'liufang@example.com', '+86 139-0013-9000', '010-88886666', NULL, '上海示例贸易有限公司', '上海市浦东新区世纪大道100号', '上海', '上海', NULL, '0a000000000000000000000000000002', 'all', '0u000000000000000000000000000001', 'admin', NOW(), NOW(), 0),
  ('0c000000000000000000000000000003', '周杰', '1', NULL, NULL, '0755-2666 8888', '13700137000', '深圳示例电子有限公司', '深圳市南山区科技园', '广东', '深圳', '意向客户', '0a000000000000000000000000000002', 'all', '0u000000000000000000000000000001', 'admin', NOW(), NOW(), 0),
  ('0c000000000000000000000000000004', '孙丽', '0', 'sunli@example.com', '8613600136000', NULL, NULL, '杭州示例网络有限公司', '杭州市西湖区文三路', '浙江', '杭州', NULL, '0a000000000000000000000000000002', 'all', '0u000000000000000000000000000001', 'admin', NOW(), NOW(), 0),
  ('0c000000000000000000000000000005', '已删除客户', '1', NULL, '13500135000', NULL, NULL, NULL, NULL, NULL, NULL, '此联系人已删除', '0a000000000000000000000000000002', 'all', '0u000000000000000000000000000001', 'admin', NOW(), NOW(), 1);

INSERT INTO cs_contact_notes (id, contactid, createtime, category, content, creater, datastatus) VALUES
  ('0n000000000000000000000000000001', '0c000000000000000000000000000001', NOW(), 'callout', '上次来电咨询保修', '0u000000000000000000000000000002', 0);
