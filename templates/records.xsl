<?xml version="1.0" encoding="UTF-8"?>
<!-- 通话记录 (call records, fcgi-app/records/): the list of calls with its
     filters (/page/records, records/list.c) and one call's page with its
     timeline (/page/record, records/detail.c). Everything comes from the
     data document and is escaped here. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:value-of select="i:t('records.title')"/>
  </xsl:template>

  <xsl:template match="/page" mode="head">
    <link rel="stylesheet" href="/cc/static/records.css"/>
  </xsl:template>

  <xsl:template match="/page" mode="scripts"/>

  <xsl:template match="/page" mode="main">
    <div class="console" id="records">
      <xsl:if test="side"><xsl:call-template name="side-nav"/></xsl:if>
      <div class="console-main">
        <xsl:apply-templates select="records | record"/>
      </div>
    </div>
  </xsl:template>

  <!-- A value or a dash. -->
  <xsl:template name="or-dash">
    <xsl:param name="v"/>
    <xsl:choose>
      <xsl:when test="string($v) != ''"><xsl:value-of select="$v"/></xsl:when>
      <xsl:otherwise>—</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A catalogue text of prefix + value, or a dash. -->
  <xsl:template name="label">
    <xsl:param name="prefix"/>
    <xsl:param name="v"/>
    <xsl:choose>
      <xsl:when test="string($v) != ''"><xsl:value-of select="i:t(concat($prefix, $v))"/></xsl:when>
      <xsl:otherwise>—</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="result">
    <xsl:param name="c"/>
    <span class="result-{$c/@result}">
      <xsl:call-template name="label">
        <xsl:with-param name="prefix" select="'records.result.'"/>
        <xsl:with-param name="v" select="$c/@result"/>
      </xsl:call-template>
    </span>
    <xsl:if test="$c/@stage">
      <span class="muted"><xsl:text> (</xsl:text><xsl:value-of select="i:t(concat('records.stage.', $c/@stage))"/><xsl:text>)</xsl:text></span>
    </xsl:if>
  </xsl:template>

  <!-- An <option> of a select whose current value is $cur. -->
  <xsl:template name="option">
    <xsl:param name="value"/>
    <xsl:param name="cur"/>
    <xsl:param name="text"/>
    <option value="{$value}">
      <xsl:if test="string($value) = string($cur)"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
      <xsl:value-of select="$text"/>
    </option>
  </xsl:template>

  <!-- ===== the list ===== -->
  <xsl:template match="records">
    <xsl:variable name="f" select="filter"/>
    <div class="page-head"><h1 id="records-heading"><xsl:value-of select="i:t('records.title')"/></h1></div>
    <xsl:if test="error">
      <div class="alert alert-error" id="records-error" role="alert" data-field="{error/@field}">
        <xsl:value-of select="error"/>
      </div>
    </xsl:if>
    <section class="panel">
      <form method="get" action="/cc/records" class="rec-filter" id="records-filter">
        <div class="rec-f">
          <label for="rf-from"><xsl:value-of select="i:t('records.from')"/></label>
          <input id="rf-from" name="from" type="text" size="16" value="{$f/@from}" placeholder="{i:t('records.date_hint')}"/>
        </div>
        <div class="rec-f">
          <label for="rf-to"><xsl:value-of select="i:t('records.to')"/></label>
          <input id="rf-to" name="to" type="text" size="16" value="{$f/@to}" placeholder="{i:t('records.date_hint')}"/>
        </div>
        <div class="rec-f">
          <label for="rf-number"><xsl:value-of select="i:t('records.number')"/></label>
          <input id="rf-number" name="number" type="text" size="14" maxlength="32" value="{$f/@number}"/>
        </div>
        <div class="rec-f">
          <label for="rf-direction"><xsl:value-of select="i:t('records.direction')"/></label>
          <select id="rf-direction" name="direction">
            <option value=""><xsl:value-of select="i:t('records.all')"/></option>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'inbound'"/>
              <xsl:with-param name="cur" select="$f/@direction"/>
              <xsl:with-param name="text" select="i:t('records.dir.inbound')"/>
            </xsl:call-template>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'outbound'"/>
              <xsl:with-param name="cur" select="$f/@direction"/>
              <xsl:with-param name="text" select="i:t('records.dir.outbound')"/>
            </xsl:call-template>
          </select>
        </div>
        <div class="rec-f">
          <label for="rf-result"><xsl:value-of select="i:t('records.result')"/></label>
          <select id="rf-result" name="result">
            <option value=""><xsl:value-of select="i:t('records.all')"/></option>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'answered'"/>
              <xsl:with-param name="cur" select="$f/@result"/>
              <xsl:with-param name="text" select="i:t('records.result.answered')"/>
            </xsl:call-template>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'abandoned'"/>
              <xsl:with-param name="cur" select="$f/@result"/>
              <xsl:with-param name="text" select="i:t('records.result.abandoned')"/>
            </xsl:call-template>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'no_agent'"/>
              <xsl:with-param name="cur" select="$f/@result"/>
              <xsl:with-param name="text" select="i:t('records.result.no_agent')"/>
            </xsl:call-template>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'failed'"/>
              <xsl:with-param name="cur" select="$f/@result"/>
              <xsl:with-param name="text" select="i:t('records.result.failed')"/>
            </xsl:call-template>
          </select>
        </div>
        <div class="rec-f">
          <label for="rf-stage"><xsl:value-of select="i:t('records.stage')"/></label>
          <select id="rf-stage" name="stage">
            <option value=""><xsl:value-of select="i:t('records.all')"/></option>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'ivr'"/>
              <xsl:with-param name="cur" select="$f/@stage"/>
              <xsl:with-param name="text" select="i:t('records.stage.ivr')"/>
            </xsl:call-template>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'queue'"/>
              <xsl:with-param name="cur" select="$f/@stage"/>
              <xsl:with-param name="text" select="i:t('records.stage.queue')"/>
            </xsl:call-template>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'ringing'"/>
              <xsl:with-param name="cur" select="$f/@stage"/>
              <xsl:with-param name="text" select="i:t('records.stage.ringing')"/>
            </xsl:call-template>
          </select>
        </div>
        <div class="rec-f">
          <label for="rf-group"><xsl:value-of select="i:t('records.group')"/></label>
          <select id="rf-group" name="group">
            <option value=""><xsl:value-of select="i:t('records.all')"/></option>
            <xsl:for-each select="$f/group">
              <xsl:call-template name="option">
                <xsl:with-param name="value" select="@id"/>
                <xsl:with-param name="cur" select="$f/@group"/>
                <xsl:with-param name="text" select="."/>
              </xsl:call-template>
            </xsl:for-each>
          </select>
        </div>
        <div class="rec-f">
          <label for="rf-number-id"><xsl:value-of select="i:t('records.number_id')"/></label>
          <select id="rf-number-id" name="number_id">
            <option value=""><xsl:value-of select="i:t('records.all')"/></option>
            <xsl:for-each select="$f/number">
              <xsl:call-template name="option">
                <xsl:with-param name="value" select="@id"/>
                <xsl:with-param name="cur" select="$f/@number_id"/>
                <xsl:with-param name="text" select="."/>
              </xsl:call-template>
            </xsl:for-each>
          </select>
        </div>
        <xsl:if test="/page/user/@admin = '1'">
          <div class="rec-f">
            <label for="rf-agent"><xsl:value-of select="i:t('records.agent')"/></label>
            <select id="rf-agent" name="agent">
              <option value=""><xsl:value-of select="i:t('records.all')"/></option>
              <xsl:for-each select="$f/agent">
                <xsl:call-template name="option">
                  <xsl:with-param name="value" select="@id"/>
                  <xsl:with-param name="cur" select="$f/@agent"/>
                  <xsl:with-param name="text" select="."/>
                </xsl:call-template>
              </xsl:for-each>
            </select>
          </div>
        </xsl:if>
        <div class="rec-f">
          <label for="rf-task"><xsl:value-of select="i:t('records.task')"/></label>
          <input id="rf-task" name="task" type="text" size="6" value="{$f/@task}"/>
        </div>
        <label for="rf-sl-missed" class="rec-f rec-check">
          <input id="rf-sl-missed" name="sl_missed" type="checkbox" value="1">
            <xsl:if test="$f/@sl_missed = '1'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
          </input>
          <xsl:value-of select="i:t('records.sl_missed')"/>
        </label>
        <xsl:if test="$f/@sl"><input type="hidden" name="sl" value="{$f/@sl}"/></xsl:if>
        <xsl:if test="$f/@limit"><input type="hidden" name="limit" value="{$f/@limit}"/></xsl:if>
        <button type="submit" class="btn" id="records-go"><xsl:value-of select="i:t('records.filter')"/></button>
      </form>
      <xsl:if test="calls">
        <p class="muted" id="records-range">
          <xsl:value-of select="i:t('records.range')"/><xsl:text> </xsl:text>
          <xsl:value-of select="$f/@range_from"/><xsl:text> – </xsl:text>
          <xsl:call-template name="or-dash"><xsl:with-param name="v" select="$f/@range_to"/></xsl:call-template>
        </p>
        <table class="table" id="records-list">
          <thead><tr>
            <th><xsl:value-of select="i:t('records.col.started')"/></th>
            <th><xsl:value-of select="i:t('records.direction')"/></th>
            <th><xsl:value-of select="i:t('records.col.caller')"/></th>
            <th><xsl:value-of select="i:t('records.col.callee')"/></th>
            <th><xsl:value-of select="i:t('records.number_id')"/></th>
            <th><xsl:value-of select="i:t('records.group')"/></th>
            <th><xsl:value-of select="i:t('records.agent')"/></th>
            <th><xsl:value-of select="i:t('records.col.contact')"/></th>
            <th><xsl:value-of select="i:t('records.col.wait')"/></th>
            <th><xsl:value-of select="i:t('records.col.talk')"/></th>
            <th><xsl:value-of select="i:t('records.result')"/></th>
            <th><xsl:value-of select="i:t('records.col.side')"/></th>
          </tr></thead>
          <tbody>
            <xsl:for-each select="calls/call">
              <tr data-id="{@id}" data-result="{@result}" data-stage="{@stage}">
                <td data-col="started" class="nowrap"><a href="{@href}" class="records-open"><xsl:value-of select="@started_at"/></a></td>
                <td data-col="direction"><xsl:call-template name="label"><xsl:with-param name="prefix" select="'records.dir.'"/><xsl:with-param name="v" select="@direction"/></xsl:call-template></td>
                <td data-col="caller" class="mono"><xsl:value-of select="@caller"/></td>
                <td data-col="callee" class="mono"><xsl:value-of select="@callee"/></td>
                <td data-col="number"><xsl:call-template name="or-dash"><xsl:with-param name="v" select="@number_name"/></xsl:call-template></td>
                <td data-col="group"><xsl:call-template name="or-dash"><xsl:with-param name="v" select="@group_name"/></xsl:call-template></td>
                <td data-col="agent"><xsl:call-template name="or-dash"><xsl:with-param name="v" select="@agent_name"/></xsl:call-template></td>
                <td data-col="contact"><xsl:call-template name="or-dash"><xsl:with-param name="v" select="@contact_name"/></xsl:call-template></td>
                <td data-col="wait" data-value="{@wait_s}"><xsl:call-template name="duration"><xsl:with-param name="s" select="@wait_s"/></xsl:call-template></td>
                <td data-col="talk" data-value="{@talk_s}"><xsl:call-template name="duration"><xsl:with-param name="s" select="@talk_s"/></xsl:call-template></td>
                <td data-col="result"><xsl:call-template name="result"><xsl:with-param name="c" select="."/></xsl:call-template></td>
                <td data-col="side"><xsl:call-template name="label"><xsl:with-param name="prefix" select="'records.side.'"/><xsl:with-param name="v" select="@hangup_side"/></xsl:call-template></td>
              </tr>
            </xsl:for-each>
            <xsl:if test="not(calls/call)">
              <tr class="empty"><td colspan="12"><xsl:value-of select="i:t('records.empty')"/></td></tr>
            </xsl:if>
          </tbody>
        </table>
        <nav class="pager" id="records-pages" aria-label="{i:t('records.pages')}">
          <xsl:if test="calls/@first">
            <a class="pager-page" id="records-first" href="{calls/@first}"><xsl:value-of select="i:t('records.first')"/></a>
          </xsl:if>
          <xsl:if test="calls/@next">
            <a class="pager-page" id="records-next" href="{calls/@next}"><xsl:value-of select="i:t('records.next')"/></a>
          </xsl:if>
        </nav>
      </xsl:if>
    </section>
  </xsl:template>


  <!-- ===== one call ===== -->
  <xsl:template name="fact">
    <xsl:param name="key"/>
    <xsl:param name="id"/>
    <xsl:param name="v"/>
    <tr data-fact="{$id}">
      <th scope="row"><xsl:value-of select="i:t($key)"/></th>
      <td><xsl:call-template name="or-dash"><xsl:with-param name="v" select="$v"/></xsl:call-template></td>
    </tr>
  </xsl:template>

  <xsl:template name="fact-s">
    <xsl:param name="key"/>
    <xsl:param name="id"/>
    <xsl:param name="s"/>
    <tr data-fact="{$id}" data-value="{$s}">
      <th scope="row"><xsl:value-of select="i:t($key)"/></th>
      <td><xsl:call-template name="duration"><xsl:with-param name="s" select="$s"/></xsl:call-template></td>
    </tr>
  </xsl:template>

  <xsl:template match="record">
    <xsl:variable name="c" select="call"/>
    <div class="page-head">
      <h1 id="record-heading"><xsl:value-of select="i:t('records.call')"/><xsl:text> </xsl:text><xsl:value-of select="$c/@started_at"/></h1>
      <div class="head-actions"><a class="btn btn-quiet" id="record-back" href="/cc/records"><xsl:value-of select="i:t('records.back')"/></a></div>
    </div>
    <section class="panel" id="record-facts" data-id="{$c/@id}">
      <h2><xsl:value-of select="i:t('records.facts')"/></h2>
      <table class="table">
        <tbody>
          <xsl:call-template name="fact"><xsl:with-param name="key" select="'records.direction'"/><xsl:with-param name="id" select="'direction'"/><xsl:with-param name="v" select="i:t(concat('records.dir.', $c/@direction))"/></xsl:call-template>
          <xsl:call-template name="fact"><xsl:with-param name="key" select="'records.col.caller'"/><xsl:with-param name="id" select="'caller'"/><xsl:with-param name="v" select="$c/@caller"/></xsl:call-template>
          <xsl:call-template name="fact"><xsl:with-param name="key" select="'records.col.callee'"/><xsl:with-param name="id" select="'callee'"/><xsl:with-param name="v" select="$c/@callee"/></xsl:call-template>
          <xsl:call-template name="fact"><xsl:with-param name="key" select="'records.number_id'"/><xsl:with-param name="id" select="'number'"/><xsl:with-param name="v" select="$c/@number_name"/></xsl:call-template>
          <xsl:call-template name="fact"><xsl:with-param name="key" select="'records.group'"/><xsl:with-param name="id" select="'group'"/><xsl:with-param name="v" select="$c/@group_name"/></xsl:call-template>
          <xsl:call-template name="fact"><xsl:with-param name="key" select="'records.agent'"/><xsl:with-param name="id" select="'agent'"/><xsl:with-param name="v" select="$c/@agent_name"/></xsl:call-template>
          <tr data-fact="result">
            <th scope="row"><xsl:value-of select="i:t('records.result')"/></th>
            <td><xsl:call-template name="result"><xsl:with-param name="c" select="$c"/></xsl:call-template></td>
          </tr>
          <tr data-fact="side">
            <th scope="row"><xsl:value-of select="i:t('records.col.side')"/></th>
            <td><xsl:call-template name="label"><xsl:with-param name="prefix" select="'records.side.'"/><xsl:with-param name="v" select="$c/@hangup_side"/></xsl:call-template></td>
          </tr>
          <xsl:call-template name="fact"><xsl:with-param name="key" select="'records.cause'"/><xsl:with-param name="id" select="'cause'"/><xsl:with-param name="v" select="$c/@cause"/></xsl:call-template>
          <xsl:call-template name="fact"><xsl:with-param name="key" select="'records.end_state'"/><xsl:with-param name="id" select="'end_state'"/><xsl:with-param name="v" select="$c/@end_state"/></xsl:call-template>
          <xsl:call-template name="fact"><xsl:with-param name="key" select="'records.col.started'"/><xsl:with-param name="id" select="'started_at'"/><xsl:with-param name="v" select="$c/@started_at"/></xsl:call-template>
          <xsl:call-template name="fact"><xsl:with-param name="key" select="'records.enqueued_at'"/><xsl:with-param name="id" select="'enqueued_at'"/><xsl:with-param name="v" select="$c/@enqueued_at"/></xsl:call-template>
          <xsl:call-template name="fact"><xsl:with-param name="key" select="'records.answered_at'"/><xsl:with-param name="id" select="'answered_at'"/><xsl:with-param name="v" select="$c/@answered_at"/></xsl:call-template>
          <xsl:call-template name="fact"><xsl:with-param name="key" select="'records.ended_at'"/><xsl:with-param name="id" select="'ended_at'"/><xsl:with-param name="v" select="$c/@ended_at"/></xsl:call-template>
          <xsl:call-template name="fact-s"><xsl:with-param name="key" select="'records.ivr_s'"/><xsl:with-param name="id" select="'ivr_s'"/><xsl:with-param name="s" select="$c/@ivr_s"/></xsl:call-template>
          <xsl:call-template name="fact-s"><xsl:with-param name="key" select="'records.col.wait'"/><xsl:with-param name="id" select="'wait_s'"/><xsl:with-param name="s" select="$c/@wait_s"/></xsl:call-template>
          <xsl:call-template name="fact-s"><xsl:with-param name="key" select="'records.ring_s'"/><xsl:with-param name="id" select="'ring_s'"/><xsl:with-param name="s" select="$c/@ring_s"/></xsl:call-template>
          <xsl:call-template name="fact-s"><xsl:with-param name="key" select="'records.col.talk'"/><xsl:with-param name="id" select="'talk_s'"/><xsl:with-param name="s" select="$c/@talk_s"/></xsl:call-template>
          <tr data-fact="recording">
            <th scope="row"><xsl:value-of select="i:t('records.recording')"/></th>
            <td>
              <xsl:choose>
                <xsl:when test="$c/../recording/@state = 'ready'"><a href="#record-recording"><xsl:value-of select="i:t('records.recording.ready')"/></a></xsl:when>
                <xsl:when test="$c/../recording"><xsl:value-of select="i:t(concat('records.recording.', $c/../recording/@state))"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="i:t('records.recording_none')"/></xsl:otherwise>
              </xsl:choose>
            </td>
          </tr>
        </tbody>
      </table>
    </section>

    <section class="panel" id="record-timeline-panel">
      <h2><xsl:value-of select="i:t('records.timeline')"/></h2>
      <table class="table" id="record-timeline">
        <thead><tr>
          <th><xsl:value-of select="i:t('records.tl.at')"/></th>
          <th><xsl:value-of select="i:t('records.tl.offset')"/></th>
          <th><xsl:value-of select="i:t('records.tl.event')"/></th>
          <th><xsl:value-of select="i:t('records.tl.what')"/></th>
        </tr></thead>
        <tbody>
          <xsl:for-each select="timeline/event">
            <tr data-event="{@event}">
              <td class="nowrap"><xsl:value-of select="@at"/></td>
              <td class="nowrap mono"><xsl:value-of select="@offset"/></td>
              <td><xsl:value-of select="i:t(concat('records.ev.', @event))"/></td>
              <td><xsl:apply-templates select="." mode="what"/></td>
            </tr>
          </xsl:for-each>
          <xsl:if test="not(timeline/event)">
            <tr class="empty"><td colspan="4"><xsl:value-of select="i:t('records.tl.empty')"/></td></tr>
          </xsl:if>
        </tbody>
      </table>
    </section>

    <section class="panel" id="record-more">
      <h2><xsl:value-of select="i:t('records.col.contact')"/></h2>
      <p id="record-contact">
        <xsl:choose>
          <xsl:when test="contact">
            <xsl:call-template name="or-dash"><xsl:with-param name="v" select="contact/@name"/></xsl:call-template>
            <xsl:text> </xsl:text><span class="mono"><xsl:value-of select="contact/@phone"/></span>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="i:t('records.no_contact')"/></xsl:otherwise>
        </xsl:choose>
      </p>
      <h2><xsl:value-of select="i:t('records.note')"/></h2>
      <div id="record-note">
        <xsl:choose>
          <xsl:when test="note">
            <p><strong><xsl:value-of select="i:t('records.intent')"/></strong><xsl:text> </xsl:text>
              <xsl:call-template name="or-dash"><xsl:with-param name="v" select="note/@intent"/></xsl:call-template></p>
            <p class="call-note"><xsl:value-of select="note-text/text"/></p>
            <p class="muted"><xsl:value-of select="i:t('records.saved_by')"/><xsl:text> </xsl:text>
              <xsl:call-template name="or-dash"><xsl:with-param name="v" select="note/@saved_by_name"/></xsl:call-template>
              <xsl:text> </xsl:text><xsl:value-of select="note/@saved_at"/></p>
          </xsl:when>
          <xsl:otherwise><p class="muted"><xsl:value-of select="i:t('records.no_note')"/></p></xsl:otherwise>
        </xsl:choose>
      </div>
      <xsl:if test="vars/var">
        <h2><xsl:value-of select="i:t('records.vars')"/></h2>
        <table class="table" id="record-vars">
          <tbody>
            <xsl:for-each select="vars/var">
              <tr><th scope="row" class="mono"><xsl:value-of select="@name"/></th><td><xsl:value-of select="."/></td></tr>
            </xsl:for-each>
          </tbody>
        </table>
      </xsl:if>
      <xsl:if test="task">
        <h2><xsl:value-of select="i:t('records.task')"/></h2>
        <p id="record-task">
          <xsl:choose>
            <xsl:when test="@task_links"><a href="/cc/admin/tasks/{task/@id}"><xsl:call-template name="or-dash"><xsl:with-param name="v" select="task/@name"/></xsl:call-template></a></xsl:when>
            <xsl:otherwise><xsl:call-template name="or-dash"><xsl:with-param name="v" select="task/@name"/></xsl:call-template></xsl:otherwise>
          </xsl:choose>
          <xsl:text> · </xsl:text><xsl:value-of select="i:t('records.target')"/><xsl:text> </xsl:text>
          <span class="mono"><xsl:call-template name="or-dash"><xsl:with-param name="v" select="task/@target_number"/></xsl:call-template></span>
        </p>
      </xsl:if>
      <xsl:if test="voicemail">
        <h2><xsl:value-of select="i:t('records.voicemail')"/></h2>
        <p id="record-voicemail">
          <audio controls="controls" preload="none" src="{voicemail/@audio}"></audio>
          <xsl:text> </xsl:text>
          <xsl:call-template name="fill">
            <xsl:with-param name="text" select="i:t('records.seconds')"/>
            <xsl:with-param name="value" select="voicemail/@seconds"/>
          </xsl:call-template>
        </p>
      </xsl:if>
      <xsl:if test="recording">
        <h2><xsl:value-of select="i:t('records.recording')"/></h2>
        <p id="record-recording" data-state="{recording/@state}">
          <xsl:choose>
            <xsl:when test="recording/@state = 'ready'">
              <audio controls="controls" preload="metadata" src="{recording/@audio}"></audio>
              <xsl:text> </xsl:text>
              <xsl:call-template name="fill">
                <xsl:with-param name="text" select="i:t('records.seconds')"/>
                <xsl:with-param name="value" select="recording/@seconds"/>
              </xsl:call-template>
              <xsl:text> · </xsl:text>
              <a href="{recording/@download}"><xsl:value-of select="i:t('records.recording.download')"/></a>
            </xsl:when>
            <xsl:otherwise>
              <xsl:value-of select="i:t(concat('records.recording.', recording/@state))"/>
              <xsl:if test="recording/@error">
                <xsl:text> (</xsl:text><span class="mono"><xsl:value-of select="recording/@error"/></span><xsl:text>)</xsl:text>
              </xsl:if>
            </xsl:otherwise>
          </xsl:choose>
        </p>
      </xsl:if>
    </section>
  </xsl:template>

  <!-- What a timeline row says, by its event. -->
  <xsl:template match="event" mode="what">
    <xsl:choose>
      <xsl:when test="@event = 'ivr'">
        <xsl:value-of select="i:t('records.tl.node')"/><xsl:text> </xsl:text><span class="mono"><xsl:value-of select="@node"/></span>
        <xsl:if test="@exit"><xsl:text> → </xsl:text><xsl:value-of select="@exit"/></xsl:if>
        <xsl:if test="@digits"><xsl:text> · </xsl:text><xsl:value-of select="i:t('records.tl.keys')"/><xsl:text> </xsl:text><span class="mono"><xsl:value-of select="@digits"/></span></xsl:if>
      </xsl:when>
      <xsl:when test="@event = 'dtmf'">
        <xsl:value-of select="i:t('records.tl.keys')"/><xsl:text> </xsl:text><span class="mono"><xsl:value-of select="@detail"/></span>
      </xsl:when>
      <xsl:when test="@event = 'end'">
        <xsl:call-template name="label"><xsl:with-param name="prefix" select="'records.result.'"/><xsl:with-param name="v" select="@detail"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="@event = 'offer_failed'">
        <xsl:value-of select="@agent_name"/><xsl:text> · </xsl:text><xsl:value-of select="@detail"/>
      </xsl:when>
      <xsl:when test="@event = 'enqueue' or @event = 'no_agent'">
        <xsl:value-of select="@group_name"/>
      </xsl:when>
      <xsl:when test="@event = 'offer' or @event = 'ringing' or @event = 'answer'">
        <xsl:value-of select="@agent_name"/>
        <xsl:if test="@group_name"><xsl:text> · </xsl:text><xsl:value-of select="@group_name"/></xsl:if>
      </xsl:when>
      <xsl:when test="@event = 'recording'">
        <xsl:value-of select="i:t(concat('records.recording.ev.', @detail))"/>
        <xsl:if test="@agent_name"><xsl:text> · </xsl:text><xsl:value-of select="@agent_name"/></xsl:if>
      </xsl:when>
      <xsl:otherwise><span class="mono"><xsl:value-of select="@detail"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
