<?xml version="1.0" encoding="UTF-8"?>
<!-- 外呼系统 > 任务列表 (fcgi-app/task/): the list of tasks with their state,
     progress and the actions their state allows, 已删除任务, the new task's
     form (settings and targets from a CSV file or the contacts) and 监控.
     Data from /page/tasks; changes are made by task.js through the JSON
     API with the page's CSRF token. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:value-of select="i:t('task.title')"/>
  </xsl:template>

  <xsl:template match="/page" mode="scripts">
    <script src="/cc/static/cc.js" defer="defer"></script>
    <script src="/cc/static/task.js" defer="defer"></script>
  </xsl:template>

  <xsl:template match="/page" mode="main">
    <xsl:variable name="t" select="tasks"/>
    <div class="console" id="task-page" data-view="{$t/@view}">
      <xsl:call-template name="side-nav"/>
      <div class="console-main">
        <div class="banner" id="tk-message" role="status" hidden="hidden"></div>
        <xsl:choose>
          <xsl:when test="$t/@view = 'new'"><xsl:apply-templates select="$t" mode="new"/></xsl:when>
          <xsl:when test="$t/@view = 'monitor'"><xsl:apply-templates select="$t" mode="monitor"/></xsl:when>
          <xsl:when test="$t/@view = 'dnc'"><xsl:apply-templates select="$t/dnc" mode="dnc"/></xsl:when>
          <xsl:otherwise><xsl:apply-templates select="$t" mode="list"/></xsl:otherwise>
        </xsl:choose>
      </div>
    </div>
  </xsl:template>

  <!-- A task's state as a badge. -->
  <xsl:template match="task" mode="state">
    <span class="badge task-state task-{@state}" data-state="{@state}"><xsl:value-of select="i:t(@state-key)"/></span>
  </xsl:template>

  <!-- The list, and 已删除任务 (read only). -->
  <xsl:template match="tasks" mode="list">
    <xsl:variable name="deleted" select="@view = 'deleted'"/>
    <div class="page-head">
      <h1>
        <xsl:choose>
          <xsl:when test="$deleted"><xsl:value-of select="i:t('task.deleted_title')"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="i:t('task.title')"/></xsl:otherwise>
        </xsl:choose>
      </h1>
      <div class="head-actions">
        <xsl:choose>
          <xsl:when test="$deleted">
            <a class="btn" id="tk-back" href="/cc/admin/tasks"><xsl:value-of select="i:t('task.back')"/></a>
          </xsl:when>
          <xsl:otherwise>
            <a class="btn" id="tk-deleted" href="/cc/admin/tasks/deleted"><xsl:value-of select="i:t('task.deleted_title')"/></a>
            <a class="btn" id="tk-dnc" href="/cc/admin/tasks/dnc"><xsl:value-of select="i:t('task.dnc.title')"/></a>
            <a class="btn btn-primary" id="tk-new" href="/cc/admin/tasks/new"><xsl:value-of select="i:t('task.new')"/></a>
          </xsl:otherwise>
        </xsl:choose>
      </div>
    </div>
    <section class="panel">
      <table class="table" id="tk-list">
        <thead><tr>
          <th><xsl:value-of select="i:t('task.col.name')"/></th>
          <th><xsl:value-of select="i:t('task.col.group')"/></th>
          <th><xsl:value-of select="i:t('task.col.caller_id')"/></th>
          <th><xsl:value-of select="i:t('task.col.state')"/></th>
          <th><xsl:value-of select="i:t('task.col.progress')"/></th>
          <th><xsl:value-of select="i:t('task.col.concurrency')"/></th>
          <th><xsl:value-of select="i:t('task.col.ratio')"/></th>
          <th><xsl:value-of select="i:t('task.col.calls')"/></th>
          <xsl:if test="$deleted"><th><xsl:value-of select="i:t('task.col.deleted_at')"/></th></xsl:if>
          <th><xsl:value-of select="i:t('task.col.actions')"/></th>
        </tr></thead>
        <tbody>
          <xsl:for-each select="task">
            <tr data-id="{@id}" data-state="{@state}">
              <td data-col="name"><a href="{@href}" class="tk-link"><xsl:value-of select="@name"/></a></td>
              <td data-col="group"><xsl:value-of select="@group_name"/></td>
              <td data-col="caller_id" class="mono"><xsl:value-of select="@caller_id"/></td>
              <td data-col="state"><xsl:apply-templates select="." mode="state"/></td>
              <td data-col="progress">
                <xsl:choose>
                  <xsl:when test="@state = 'init'">
                    <progress class="tk-load" max="100" value="{@load-percent}"></progress>
                    <small><xsl:value-of select="@rows_read"/> / <xsl:value-of select="@rows_total"/></small>
                  </xsl:when>
                  <xsl:otherwise>
                    <progress max="100" value="{@percent}"></progress>
                    <small class="tk-done"><xsl:value-of select="@done"/> / <xsl:value-of select="@targets_total"/></small>
                  </xsl:otherwise>
                </xsl:choose>
              </td>
              <td data-col="max_concurrency"><xsl:value-of select="@max_concurrency"/></td>
              <td data-col="agent_ratio"><xsl:value-of select="@ratio"/></td>
              <td data-col="calls"><xsl:value-of select="@calls_answered"/> / <xsl:value-of select="@calls_total"/></td>
              <xsl:if test="$deleted"><td data-col="deleted_at"><xsl:value-of select="@deleted_at"/></td></xsl:if>
              <td data-col="actions" class="tk-actions">
                <xsl:for-each select="action">
                  <xsl:choose>
                    <xsl:when test="@name = 'monitor'">
                      <a class="btn btn-sm" href="{../@href}" data-action="monitor"><xsl:value-of select="i:t(@key)"/></a>
                    </xsl:when>
                    <xsl:otherwise>
                      <button type="button" class="btn btn-sm" data-action="{@name}" data-id="{../@id}"
                              data-max="{../@max_concurrency}" data-ratio="{../@ratio}"><xsl:value-of select="i:t(@key)"/></button>
                    </xsl:otherwise>
                  </xsl:choose>
                  <xsl:text> </xsl:text>
                </xsl:for-each>
              </td>
            </tr>
          </xsl:for-each>
          <xsl:if test="not(task)">
            <tr class="empty"><td colspan="10"><xsl:value-of select="i:t('task.empty')"/></td></tr>
          </xsl:if>
        </tbody>
      </table>
    </section>
    <dialog id="tk-edit-dialog">
      <form id="tk-edit-form" method="dialog">
        <h2><xsl:value-of select="i:t('task.action.edit')"/></h2>
        <p class="field-hint"><xsl:value-of select="i:t('task.edit_hint')"/></p>
        <div class="field">
          <label for="tk-edit-max"><xsl:value-of select="i:t('task.col.concurrency')"/></label>
          <input type="number" id="tk-edit-max" name="max_concurrency" min="1" max="500" required="required"/>
        </div>
        <div class="field">
          <label for="tk-edit-ratio"><xsl:value-of select="i:t('task.col.ratio')"/></label>
          <input type="text" id="tk-edit-ratio" name="agent_ratio" inputmode="decimal" required="required"/>
        </div>
        <div class="field-error" id="tk-edit-error"></div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" id="tk-edit-save"><xsl:value-of select="i:t('task.save')"/></button>
          <button type="button" class="btn btn-quiet" id="tk-edit-cancel"><xsl:value-of select="i:t('task.cancel')"/></button>
        </div>
      </form>
    </dialog>
  </xsl:template>

  <!-- 新建任务. -->
  <xsl:template match="tasks" mode="new">
    <div class="page-head">
      <h1><xsl:value-of select="i:t('task.new')"/></h1>
      <a class="btn btn-quiet" id="tk-back" href="/cc/admin/tasks"><xsl:value-of select="i:t('task.back')"/></a>
    </div>
    <section class="panel">
      <form id="tk-form" class="form" data-max-kb="{@max-kb}">
        <div class="field">
          <label for="f-name"><xsl:value-of select="i:t('task.col.name')"/><span class="req" aria-hidden="true">*</span></label>
          <input type="text" id="f-name" name="name" maxlength="64" required="required"/>
          <div class="field-error" id="err-name"></div>
        </div>
        <div class="field">
          <label for="f-group"><xsl:value-of select="i:t('task.col.group')"/><span class="req" aria-hidden="true">*</span></label>
          <select id="f-group" name="skill_group_id" required="required">
            <option value=""><xsl:value-of select="i:t('task.pick_group')"/></option>
            <xsl:for-each select="groups/group">
              <option value="{@id}"><xsl:value-of select="@name"/></option>
            </xsl:for-each>
          </select>
          <div class="field-error" id="err-skill_group_id"></div>
        </div>
        <div class="field">
          <label for="f-number"><xsl:value-of select="i:t('task.col.caller_id')"/><span class="req" aria-hidden="true">*</span></label>
          <select id="f-number" name="caller_id_number_id" required="required">
            <option value=""><xsl:value-of select="i:t('task.pick_number')"/></option>
            <xsl:for-each select="groups/group/number">
              <option value="{@id}" data-group="{../@id}"><xsl:value-of select="@number"/></option>
            </xsl:for-each>
          </select>
          <div class="field-hint"><xsl:value-of select="i:t('task.caller_id_hint')"/></div>
          <div class="field-error" id="err-caller_id_number_id"></div>
        </div>
        <div class="field">
          <label for="f-max"><xsl:value-of select="i:t('task.col.concurrency')"/></label>
          <input type="number" id="f-max" name="max_concurrency" min="1" max="500" value="10"/>
          <div class="field-error" id="err-max_concurrency"></div>
        </div>
        <div class="field">
          <label for="f-ratio"><xsl:value-of select="i:t('task.col.ratio')"/></label>
          <input type="text" id="f-ratio" name="agent_ratio" inputmode="decimal" value="1.00"/>
          <div class="field-hint"><xsl:value-of select="i:t('task.ratio_hint')"/></div>
          <div class="field-error" id="err-agent_ratio"></div>
        </div>
        <div class="field">
          <label for="f-pacing"><xsl:value-of select="i:t('task.col.pacing')"/></label>
          <select id="f-pacing" name="pacing">
            <xsl:for-each select="pacing">
              <option value="{@name}"><xsl:value-of select="i:t(@key)"/></option>
            </xsl:for-each>
          </select>
        </div>
        <div class="field">
          <label for="f-recording"><xsl:value-of select="i:t('task.col.recording')"/></label>
          <select id="f-recording" name="recording">
            <xsl:for-each select="recording">
              <option value="{@name}"><xsl:value-of select="i:t(@key)"/></option>
            </xsl:for-each>
          </select>
          <div class="field-hint"><xsl:value-of select="i:t('task.recording_hint')"/></div>
          <div class="field-error" id="err-recording"></div>
        </div>
        <div class="field">
          <label for="f-abandon"><xsl:value-of select="i:t('task.col.abandon')"/></label>
          <input type="text" id="f-abandon" name="abandon_target" inputmode="decimal" value="3"/>
          <div class="field-error" id="err-abandon_target"></div>
        </div>
        <fieldset class="field">
          <legend><xsl:value-of select="i:t('task.retry')"/></legend>
          <label for="f-attempts"><xsl:value-of select="i:t('task.col.attempts')"/></label>
          <input type="number" id="f-attempts" name="max_attempts" min="1" max="10" value="3"/>
          <label for="f-interval"><xsl:value-of select="i:t('task.col.interval')"/></label>
          <input type="number" id="f-interval" name="min_interval_s" min="0" max="604800" value="1800"/>
          <div>
            <xsl:for-each select="result">
              <label class="check"><input type="checkbox" class="tk-result" value="{@name}">
                <xsl:if test="@name = 'no_answer' or @name = 'busy' or @name = 'failed'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
              </input><xsl:text> </xsl:text><xsl:value-of select="i:t(@key)"/></label>
            </xsl:for-each>
          </div>
          <div class="field-error" id="err-max_attempts"></div>
          <div class="field-error" id="err-min_interval_s"></div>
          <div class="field-error" id="err-retry_results"></div>
        </fieldset>
        <div class="field">
          <label for="f-hours"><xsl:value-of select="i:t('task.col.hours')"/></label>
          <input type="text" id="f-hours" name="hours" maxlength="255" placeholder="mon-fri 09:00-12:00, mon-fri 13:30-18:00"/>
          <div class="field-hint"><xsl:value-of select="i:t('task.hours_hint')"/></div>
          <div class="field-error" id="err-hours"></div>
        </div>
        <div class="field">
          <label for="f-tz"><xsl:value-of select="i:t('task.col.time_zone')"/></label>
          <input type="text" id="f-tz" name="time_zone" maxlength="64" value="Asia/Shanghai"/>
          <div class="field-error" id="err-time_zone"></div>
        </div>
        <div class="field">
          <label for="f-dnc"><xsl:value-of select="i:t('task.col.dnc')"/></label>
          <textarea id="f-dnc" name="dnc" rows="3"></textarea>
          <div class="field-hint"><xsl:value-of select="i:t('task.dnc_hint')"/></div>
          <div class="field-error" id="err-dnc"></div>
        </div>
        <fieldset class="field">
          <legend><xsl:value-of select="i:t('task.targets')"/></legend>
          <label class="check"><input type="radio" name="source" id="f-source-csv" value="csv" checked="checked"/><xsl:text> </xsl:text><xsl:value-of select="i:t('task.source.csv')"/></label>
          <label class="check"><input type="radio" name="source" id="f-source-contacts" value="contacts"/><xsl:text> </xsl:text><xsl:value-of select="i:t('task.source.contacts')"/></label>
          <div id="tk-source-csv">
            <input type="file" id="f-file" accept=".csv,text/csv"/>
            <div class="field-hint"><xsl:value-of select="i:t('task.csv_hint')"/></div>
          </div>
          <div id="tk-source-contacts" hidden="hidden">
            <input type="text" id="f-query" name="query" maxlength="64" placeholder="{i:t('task.query_hint')}"/>
          </div>
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" id="tk-create"><xsl:value-of select="i:t('task.create')"/></button>
        </div>
      </form>
      <progress id="tk-progress" max="1" value="0" hidden="hidden"></progress>
      <div id="tk-status" role="status"></div>
      <div id="tk-report" hidden="hidden">
        <p id="tk-summary"></p>
        <table class="table" id="tk-errors">
          <thead><tr>
            <th><xsl:value-of select="i:t('task.line')"/></th>
            <th><xsl:value-of select="i:t('task.reason')"/></th>
          </tr></thead>
          <tbody></tbody>
        </table>
      </div>
    </section>
  </xsl:template>

  <!-- 监控. -->
  <xsl:template match="tasks" mode="monitor">
    <xsl:variable name="t" select="task"/>
    <div class="page-head">
      <h1><xsl:value-of select="i:t('task.action.monitor')"/>: <span id="tk-name"><xsl:value-of select="$t/@name"/></span></h1>
      <div class="head-actions">
        <xsl:for-each select="$t/action[@name != 'monitor']">
          <button type="button" class="btn" data-action="{@name}" data-id="{../@id}"
                  data-max="{../@max_concurrency}" data-ratio="{../@ratio}"><xsl:value-of select="i:t(@key)"/></button>
          <xsl:text> </xsl:text>
        </xsl:for-each>
        <a class="btn btn-quiet" id="tk-back" href="/cc/admin/tasks"><xsl:value-of select="i:t('task.back')"/></a>
      </div>
    </div>
    <section class="panel" id="tk-monitor" data-id="{$t/@id}" data-group="{$t/@skill_group_id}">
      <dl class="tk-facts">
        <dt><xsl:value-of select="i:t('task.col.state')"/></dt>
        <dd id="m-state"><xsl:apply-templates select="$t" mode="state"/></dd>
        <dt><xsl:value-of select="i:t('task.col.group')"/></dt>
        <dd><xsl:value-of select="$t/@group_name"/></dd>
        <dt><xsl:value-of select="i:t('task.col.caller_id')"/></dt>
        <dd class="mono"><xsl:value-of select="$t/@caller_id"/></dd>
        <dt><xsl:value-of select="i:t('task.col.pacing')"/></dt>
        <dd><xsl:value-of select="i:t($t/@pacing-key)"/></dd>
        <dt><xsl:value-of select="i:t('task.col.recording')"/></dt>
        <dd id="m-recording"><xsl:value-of select="i:t(concat('task.recording.', $t/@recording))"/></dd>
        <dt><xsl:value-of select="i:t('task.m.total')"/></dt>
        <dd id="m-total"><xsl:value-of select="targets/@total"/></dd>
        <dt><xsl:value-of select="i:t('task.m.done')"/></dt>
        <dd id="m-done"><xsl:value-of select="targets/@done"/></dd>
        <dt><xsl:value-of select="i:t('task.m.remaining')"/></dt>
        <dd id="m-remaining"><xsl:value-of select="targets/@remaining"/></dd>
        <dt><xsl:value-of select="i:t('task.m.concurrency')"/></dt>
        <dd><span id="m-concurrency">–</span> / <span id="m-max"><xsl:value-of select="$t/@max_concurrency"/></span>
          (<xsl:value-of select="i:t('task.m.limit')"/> <span id="m-limit">–</span>)</dd>
        <dt><xsl:value-of select="i:t('task.m.load')"/></dt>
        <dd><xsl:value-of select="$t/@rows_total"/> · <xsl:value-of select="i:t('task.m.bad')"/>
          <xsl:text> </xsl:text><span id="m-bad"><xsl:value-of select="$t/@rows_bad"/></span> ·
          <xsl:value-of select="i:t('task.m.duplicate')"/><xsl:text> </xsl:text><span id="m-dup"><xsl:value-of select="$t/@rows_duplicate"/></span> ·
          <xsl:value-of select="i:t('task.m.dnc')"/><xsl:text> </xsl:text><span id="m-dnc"><xsl:value-of select="$t/@rows_dnc"/></span></dd>
      </dl>
      <h2><xsl:value-of select="i:t('task.m.calls')"/></h2>
      <table class="table" id="m-calls">
        <thead><tr>
          <th><xsl:value-of select="i:t('task.m.dialing')"/></th>
          <th><xsl:value-of select="i:t('task.m.ringing')"/></th>
          <th><xsl:value-of select="i:t('task.m.answered')"/></th>
          <th><xsl:value-of select="i:t('task.m.connected')"/></th>
          <th><xsl:value-of select="i:t('task.target.abandoned')"/></th>
          <th><xsl:value-of select="i:t('task.m.abandon_rate')"/></th>
        </tr></thead>
        <tbody><tr>
          <td id="m-dialing">–</td><td id="m-ringing">–</td><td id="m-answered">–</td>
          <td id="m-connected">–</td><td id="m-abandoned"><xsl:value-of select="targets/count[@state = 'abandoned']/@n"/></td>
          <td id="m-abandon-rate">–</td>
        </tr></tbody>
      </table>
      <p class="field-hint" id="m-live-error" hidden="hidden"><xsl:value-of select="i:t('task.monitor.b2bua_down')"/></p>
      <h2><xsl:value-of select="i:t('task.m.targets')"/></h2>
      <table class="table" id="m-targets">
        <tbody>
          <xsl:for-each select="targets/count">
            <tr data-state="{@state}"><th><xsl:value-of select="i:t(@key)"/></th><td class="n"><xsl:value-of select="@n"/></td></tr>
          </xsl:for-each>
        </tbody>
      </table>
      <h2><xsl:value-of select="i:t('task.m.failures')"/></h2>
      <table class="table" id="m-attempts"><tbody></tbody></table>
      <h2><xsl:value-of select="i:t('task.m.agents')"/></h2>
      <table class="table" id="m-agents"><tbody></tbody></table>
    </section>
  </xsl:template>
  <!-- 免打扰号码: the center-wide do-not-call list, newest first, a page at
       a time; the form adds numbers (one a line), each row's button removes
       its number (task.js, JSON API). -->
  <xsl:template match="dnc" mode="dnc">
    <div class="page-head">
      <h1><xsl:value-of select="i:t('task.dnc.title')"/></h1>
      <a class="btn btn-quiet" id="tk-back" href="/cc/admin/tasks"><xsl:value-of select="i:t('task.back')"/></a>
    </div>
    <p class="field-hint"><xsl:value-of select="i:t('task.dnc.hint')"/></p>
    <section class="panel">
      <form id="dnc-form" class="form">
        <div class="field">
          <label for="dnc-numbers"><xsl:value-of select="i:t('task.dnc.numbers')"/><span class="req" aria-hidden="true">*</span></label>
          <textarea id="dnc-numbers" name="numbers" rows="6" required="required"></textarea>
          <div class="field-hint"><xsl:value-of select="substring-before(i:t('task.dnc.numbers_hint'), '{max}')"/><xsl:value-of select="@max"/><xsl:value-of select="substring-after(i:t('task.dnc.numbers_hint'), '{max}')"/></div>
        </div>
        <div class="field">
          <label for="dnc-note"><xsl:value-of select="i:t('task.dnc.note')"/></label>
          <input type="text" id="dnc-note" name="note" maxlength="255"/>
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" id="dnc-add"><xsl:value-of select="i:t('task.dnc.add')"/></button>
        </div>
      </form>
      <div id="dnc-report" hidden="hidden">
        <table class="table" id="dnc-errors">
          <thead><tr>
            <th><xsl:value-of select="i:t('task.line')"/></th>
            <th><xsl:value-of select="i:t('task.reason')"/></th>
          </tr></thead>
          <tbody></tbody>
        </table>
      </div>
    </section>
    <section class="panel">
      <form id="dnc-search" method="get" action="/cc/admin/tasks/dnc" class="form-inline">
        <label for="dnc-q"><xsl:value-of select="i:t('task.dnc.search')"/></label>
        <xsl:text> </xsl:text>
        <input type="search" id="dnc-q" name="q" maxlength="64" value="{@q}"/>
        <xsl:text> </xsl:text>
        <button type="submit" class="btn"><xsl:value-of select="i:t('task.dnc.search_go')"/></button>
        <xsl:text> </xsl:text>
        <small id="dnc-total"><xsl:value-of select="substring-before(i:t('task.dnc.total'), '{n}')"/><xsl:value-of select="@total"/><xsl:value-of select="substring-after(i:t('task.dnc.total'), '{n}')"/></small>
      </form>
      <p class="field-hint"><xsl:value-of select="i:t('task.dnc.remove_hint')"/></p>
      <table class="table" id="dnc-list">
        <thead><tr>
          <th><xsl:value-of select="i:t('task.dnc.col.number')"/></th>
          <th><xsl:value-of select="i:t('task.dnc.col.note')"/></th>
          <th><xsl:value-of select="i:t('task.dnc.col.by')"/></th>
          <th><xsl:value-of select="i:t('task.dnc.col.at')"/></th>
          <th><xsl:value-of select="i:t('task.col.actions')"/></th>
        </tr></thead>
        <tbody>
          <xsl:for-each select="entry">
            <tr data-number="{@number}">
              <td data-col="number" class="mono"><xsl:value-of select="@number"/></td>
              <td data-col="note"><xsl:value-of select="@note"/></td>
              <td data-col="by"><xsl:value-of select="@by"/></td>
              <td data-col="at"><xsl:value-of select="@at"/></td>
              <td><button type="button" class="btn btn-sm dnc-remove" data-number="{@number}"><xsl:value-of select="i:t('task.dnc.remove')"/></button></td>
            </tr>
          </xsl:for-each>
          <xsl:if test="not(entry)">
            <tr class="empty"><td colspan="5"><xsl:value-of select="i:t('task.dnc.none')"/></td></tr>
          </xsl:if>
        </tbody>
      </table>
      <form id="dnc-pages" method="get" action="/cc/admin/tasks/dnc" class="form-actions">
        <input type="hidden" name="q" value="{@q}"/>
        <xsl:if test="@paged">
          <a class="btn btn-quiet" id="dnc-first" href="/cc/admin/tasks/dnc"><xsl:value-of select="i:t('task.dnc.first')"/></a>
          <xsl:text> </xsl:text>
        </xsl:if>
        <xsl:if test="@next">
          <button type="submit" class="btn" id="dnc-next" name="before" value="{@next}"><xsl:value-of select="i:t('task.dnc.next')"/></button>
        </xsl:if>
      </form>
    </section>
  </xsl:template>
</xsl:stylesheet>
