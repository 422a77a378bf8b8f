-- The reference host's tables (cskefu v8), as far as the plugin touches them,
-- plus a few columns it never touches so tests can see they are left alone.
-- A real installation already has these; make run and the tests create them
-- in a private database. For the v7 (cosin) layout, tests/fixtures adds the
-- tenant column `orgi`.
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS cs_user (
  ID varchar(32) NOT NULL,
  USERNAME varchar(50) DEFAULT NULL,
  PASSWORD varchar(255) DEFAULT NULL,
  SECURECONF varchar(100) DEFAULT '5',
  uname varchar(100) DEFAULT NULL,
  email varchar(100) DEFAULT NULL,
  mobile varchar(32) DEFAULT NULL,
  language varchar(20) DEFAULT NULL,
  agent tinyint DEFAULT 0,
  callcenter tinyint DEFAULT 0,
  admin tinyint DEFAULT 0,
  superadmin tinyint DEFAULT 0,
  datastatus tinyint DEFAULT 0,
  del tinyint DEFAULT 0,
  createtime datetime DEFAULT NULL,
  updatetime datetime DEFAULT NULL,
  lastlogintime datetime DEFAULT NULL,
  PRIMARY KEY (ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS uk_organ (
  ID varchar(32) NOT NULL,
  NAME varchar(50) DEFAULT NULL,
  CODE varchar(32) DEFAULT NULL,
  PARENT varchar(32) DEFAULT NULL,
  SKILL tinyint DEFAULT 0,
  AREA text,
  companyid varchar(32) DEFAULT NULL,
  CREATETIME datetime DEFAULT NULL,
  UPDATETIME datetime DEFAULT NULL,
  PRIMARY KEY (ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS cs_organ_user (
  userid varchar(32) NOT NULL,
  organ varchar(32) NOT NULL,
  creator varchar(32) DEFAULT NULL,
  createtime datetime DEFAULT NULL,
  updatetime datetime DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS uk_role (
  ID varchar(32) NOT NULL,
  NAME varchar(50) DEFAULT NULL,
  CODE varchar(50) DEFAULT NULL,
  CREATETIME datetime DEFAULT NULL,
  CREATER varchar(32) DEFAULT NULL,
  PRIMARY KEY (ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS uk_userrole (
  id varchar(32) NOT NULL,
  user_id varchar(32) DEFAULT NULL,
  role_id varchar(32) DEFAULT NULL,
  creater varchar(32) DEFAULT NULL,
  createtime datetime DEFAULT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS uk_role_auth (
  ID varchar(32) NOT NULL,
  NAME varchar(50) DEFAULT NULL,
  CODE varchar(50) DEFAULT NULL,
  ROLEID varchar(32) DEFAULT NULL,
  DICID varchar(32) DEFAULT NULL,
  DICVALUE varchar(30) DEFAULT NULL,
  CREATETIME datetime DEFAULT NULL,
  PRIMARY KEY (ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS uk_organrole (
  id varchar(32) NOT NULL,
  organ_id varchar(32) DEFAULT NULL,
  role_id varchar(32) DEFAULT NULL,
  dicid varchar(32) DEFAULT NULL,
  dicvalue varchar(50) DEFAULT NULL,
  creater varchar(32) DEFAULT NULL,
  createtime datetime DEFAULT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS uk_contacts (
  id varchar(32) NOT NULL,
  name varchar(255) DEFAULT NULL,
  gender varchar(50) DEFAULT NULL,
  cusbirthday varchar(50) DEFAULT NULL,
  ctype varchar(50) DEFAULT NULL,
  ckind varchar(50) DEFAULT NULL,
  clevel varchar(50) DEFAULT NULL,
  ccode varchar(50) DEFAULT NULL,
  nickname varchar(50) DEFAULT NULL,
  sarea varchar(200) DEFAULT NULL,
  csource varchar(50) DEFAULT NULL,
  language varchar(50) DEFAULT NULL,
  marriage varchar(50) DEFAULT NULL,
  education varchar(50) DEFAULT NULL,
  identifytype varchar(50) DEFAULT NULL,
  identifynumber varchar(100) DEFAULT NULL,
  website varchar(255) DEFAULT NULL,
  email varchar(128) DEFAULT NULL,
  emailalt varchar(128) DEFAULT NULL,
  mobileno varchar(40) DEFAULT NULL,
  mobilealt varchar(40) DEFAULT NULL,
  phone varchar(40) DEFAULT NULL,
  extension varchar(40) DEFAULT NULL,
  phonealt varchar(40) DEFAULT NULL,
  familyphone varchar(40) DEFAULT NULL,
  familyphonealt varchar(40) DEFAULT NULL,
  fax varchar(40) DEFAULT NULL,
  faxalt varchar(40) DEFAULT NULL,
  country varchar(50) DEFAULT NULL,
  province varchar(50) DEFAULT NULL,
  city varchar(50) DEFAULT NULL,
  address text,
  postcode varchar(40) DEFAULT NULL,
  company text,
  weixin varchar(100) DEFAULT NULL,
  qqcode varchar(50) DEFAULT NULL,
  memo varchar(255) DEFAULT NULL,
  touchtime datetime DEFAULT NULL,
  datastatus tinyint DEFAULT 0,
  processid varchar(32) DEFAULT NULL,
  creater varchar(32) DEFAULT NULL,
  username varchar(32) DEFAULT NULL,
  updateuser varchar(32) DEFAULT NULL,
  updateusername varchar(32) DEFAULT NULL,
  createtime datetime DEFAULT NULL,
  updatetime datetime DEFAULT NULL,
  organ varchar(32) DEFAULT NULL,
  shares varchar(255) DEFAULT NULL,
  owner varchar(32) DEFAULT NULL,
  entcusid varchar(32) DEFAULT NULL,
  pinyin varchar(10) DEFAULT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS cs_contact_notes (
  id varchar(32) NOT NULL,
  contactid varchar(32) DEFAULT NULL,
  createtime datetime DEFAULT NULL,
  updatetime datetime DEFAULT NULL,
  category varchar(50) DEFAULT NULL,
  content text,
  creater varchar(32) DEFAULT NULL,
  datastatus tinyint DEFAULT 0,
  agentuser varchar(32) DEFAULT NULL,
  onlineuser varchar(32) DEFAULT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The dictionary; the rows of com.dic.auth.resource (CTYPE 'auth') are the
-- helpdesk's menu and the resources roles are granted (uk_role_auth.DICID /
-- DICVALUE). The stock rows the plugin refers to: 坐席对话 A01, 语音渠道 A10,
-- 外呼系统 A11, 通话监控 A12_A01_A01.
CREATE TABLE IF NOT EXISTS uk_sysdic (
  ID varchar(32) NOT NULL,
  NAME varchar(100) DEFAULT NULL,
  TITLE varchar(100) DEFAULT NULL,
  CODE varchar(100) DEFAULT NULL,
  CTYPE varchar(32) DEFAULT NULL,
  PARENTID varchar(32) DEFAULT NULL,
  DESCRIPTION varchar(255) DEFAULT NULL,
  ICONSTR varchar(255) DEFAULT NULL,
  CREATER varchar(32) DEFAULT NULL,
  CREATETIME datetime DEFAULT NULL,
  UPDATETIME datetime DEFAULT NULL,
  HASCHILD tinyint DEFAULT NULL,
  SORTINDEX int DEFAULT NULL,
  DICID varchar(32) DEFAULT NULL,
  DEFAULTVALUE tinyint DEFAULT NULL,
  URL text,
  MODULE varchar(32) DEFAULT NULL,
  MLEVEL varchar(32) DEFAULT NULL,
  MENUTYPE varchar(32) DEFAULT NULL,
  PRIMARY KEY (ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT IGNORE INTO uk_sysdic (ID, NAME, TITLE, CODE, CTYPE, PARENTID, DESCRIPTION, CREATETIME, HASCHILD, SORTINDEX, DICID, URL, MODULE, MLEVEL, MENUTYPE) VALUES
  ('402888815d2fe37f015d2fe75cc80002', '系统权限资源数据', 'pub', 'com.dic.auth.resource', 'auth', '0', '系统权限资源数据', '2017-07-11 12:27:58', 1, 0, NULL, NULL, NULL, NULL, NULL),
  ('402881ef612b1f5b01612cc4a491053e', '坐席对话', 'pub', 'A01', 'auth', '402888815d2fe37f015d2fe75cc80002', NULL, '2018-01-25 18:02:20', 0, 0, '402888815d2fe37f015d2fe75cc80002', '/agent/index.html', 'webim', '1', 'left'),
  ('402881ef612b1f5b01612cc626f90547', '语音渠道', 'pub', 'A10', 'auth', '402888815d2fe37f015d2fe75cc80002', NULL, '2018-01-25 18:03:59', 0, 0, '402888815d2fe37f015d2fe75cc80002', '/apps/callcenter/service/index.html', 'webim', '1', 'left'),
  ('4028888163ffe467016400f640f30646', '外呼系统', 'pub', 'A11', 'auth', '402888815d2fe37f015d2fe75cc80002', NULL, '2018-06-15 09:01:35', 0, 0, '402888815d2fe37f015d2fe75cc80002', '/apps/callout/index.html', 'webim', '1', 'left'),
  ('40288881640eba2a01640f8599db07ec', '全部坐席', 'pub', 'A12_A01_A01', 'auth', '402881ef612b1f5b01612cc626f90547', NULL, '2018-06-18 04:52:51', 0, 0, '402888815d2fe37f015d2fe75cc80002', '/apps/callcenter/service/monitor/allcall.html', 'webim', '2', 'left');
