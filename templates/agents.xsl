<?xml version="1.0" encoding="UTF-8"?>
<!-- 客服管理 > 坐席 (fcgi-app/agents/): the list (search, filters, sorting,
     pages, live state), the new agent's form, an agent's page (edit, skill
     groups with levels, SIP password reset, disable, delete, dedicated
     contacts) and the import. Data from /page/agents; changes are made by
     agents.js through the JSON API (with the page's CSRF token), which
     also shows a new SIP password once. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:value-of select="i:t('agents.title')"/>
  </xsl:template>

  <xsl:template match="/page" mode="scripts">
    <script src="/cc/static/cc.js" defer="defer"></script>
    <script src="/cc/static/agents.js" defer="defer"></script>
  </xsl:template>

  <xsl:template match="/page" mode="main">
    <xsl:variable name="ag" select="agents"/>
    <div class="console" id="agents-page" data-view="{$ag/@view}">
      <xsl:call-template name="side-nav"/>
      <div class="console-main">
        <xsl:choose>
          <xsl:when test="$ag/@view = 'list'"><xsl:apply-templates select="$ag" mode="list"/></xsl:when>
          <xsl:when test="$ag/@view = 'import'"><xsl:apply-templates select="$ag" mode="import"/></xsl:when>
          <xsl:otherwise><xsl:apply-templates select="$ag" mode="form"/></xsl:otherwise>
        </xsl:choose>
      </div>
    </div>
  </xsl:template>

  <!-- The list. -->
  <xsl:template match="agents" mode="list">
    <div class="page-head">
      <h1><xsl:value-of select="i:t('agents.title')"/></h1>
      <div class="head-actions">
        <a class="btn" id="ag-import" href="/cc/admin/agents/import"><xsl:value-of select="i:t('agents.import')"/></a>
        <a class="btn" id="ag-export" href="/cc/admin/agents/export"><xsl:value-of select="i:t('agents.export')"/></a>
        <a class="btn btn-primary" id="ag-new" href="/cc/admin/agents/new"><xsl:value-of select="i:t('agents.new')"/></a>
      </div>
    </div>
    <xsl:if test="@done">
      <div class="banner banner-ok" id="ag-notice" role="status" data-done="{@done}">
        <xsl:value-of select="i:t(concat('agents.done.', @done))"/>
      </div>
    </xsl:if>
    <section class="panel">
      <form method="get" action="/cc/admin/agents" class="res-search" id="ag-search" role="search">
        <input type="search" name="q" id="ag-q" maxlength="64" value="{@q}"
               placeholder="{i:t('agents.search_placeholder')}" aria-label="{i:t('agents.search')}"/>
        <select name="group" id="ag-group" aria-label="{i:t('agents.col.groups')}">
          <option value=""><xsl:value-of select="i:t('agents.filter.all_groups')"/></option>
          <xsl:variable name="g" select="string(@group)"/>
          <xsl:for-each select="groups/group">
            <option value="{@id}"><xsl:if test="string(@id) = $g"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="@name"/></option>
          </xsl:for-each>
        </select>
        <select name="state" id="ag-state" aria-label="{i:t('agents.col.state')}">
          <option value=""><xsl:value-of select="i:t('agents.filter.all_states')"/></option>
          <xsl:call-template name="opt"><xsl:with-param name="v" select="'logged_out'"/><xsl:with-param name="cur" select="@state"/><xsl:with-param name="key" select="'state.logged_out'"/></xsl:call-template>
          <xsl:call-template name="opt"><xsl:with-param name="v" select="'ready'"/><xsl:with-param name="cur" select="@state"/><xsl:with-param name="key" select="'state.ready'"/></xsl:call-template>
          <xsl:call-template name="opt"><xsl:with-param name="v" select="'not_ready'"/><xsl:with-param name="cur" select="@state"/><xsl:with-param name="key" select="'state.not_ready'"/></xsl:call-template>
          <xsl:call-template name="opt"><xsl:with-param name="v" select="'reserved'"/><xsl:with-param name="cur" select="@state"/><xsl:with-param name="key" select="'state.reserved'"/></xsl:call-template>
          <xsl:call-template name="opt"><xsl:with-param name="v" select="'on_call'"/><xsl:with-param name="cur" select="@state"/><xsl:with-param name="key" select="'state.on_call'"/></xsl:call-template>
          <xsl:call-template name="opt"><xsl:with-param name="v" select="'wrap_up'"/><xsl:with-param name="cur" select="@state"/><xsl:with-param name="key" select="'state.wrap_up'"/></xsl:call-template>
        </select>
        <select name="reg" id="ag-reg" aria-label="{i:t('agents.col.registered')}">
          <option value=""><xsl:value-of select="i:t('agents.filter.all_phones')"/></option>
          <xsl:call-template name="opt"><xsl:with-param name="v" select="'1'"/><xsl:with-param name="cur" select="@reg"/><xsl:with-param name="key" select="'agents.registered'"/></xsl:call-template>
          <xsl:call-template name="opt"><xsl:with-param name="v" select="'0'"/><xsl:with-param name="cur" select="@reg"/><xsl:with-param name="key" select="'agents.unregistered'"/></xsl:call-template>
        </select>
        <input type="hidden" name="sort" value="{@sort}"/>
        <input type="hidden" name="dir" value="{@dir}"/>
        <button type="submit" class="btn" id="ag-search-btn"><xsl:value-of select="i:t('agents.search')"/></button>
        <xsl:if test="string(@q) or string(@group) or string(@state) or string(@reg)">
          <a class="btn btn-quiet" id="ag-clear" href="/cc/admin/agents"><xsl:value-of select="i:t('agents.clear')"/></a>
        </xsl:if>
      </form>

      <table class="table" id="ag-list">
        <thead><tr>
          <xsl:call-template name="sort-th"><xsl:with-param name="name" select="'name'"/></xsl:call-template>
          <xsl:call-template name="sort-th"><xsl:with-param name="name" select="'username'"/></xsl:call-template>
          <xsl:call-template name="sort-th"><xsl:with-param name="name" select="'extension'"/></xsl:call-template>
          <th data-col="groups"><xsl:value-of select="i:t('agents.col.groups')"/></th>
          <xsl:call-template name="sort-th"><xsl:with-param name="name" select="'state'"/></xsl:call-template>
          <xsl:call-template name="sort-th"><xsl:with-param name="name" select="'registered'"/></xsl:call-template>
          <th data-col="enabled"><xsl:value-of select="i:t('agents.col.enabled')"/></th>
        </tr></thead>
        <tbody>
          <xsl:for-each select="rows/agent">
            <tr data-id="{@id}">
              <td data-col="name"><a href="{@href}" class="ag-link"><xsl:value-of select="@name"/></a></td>
              <td data-col="username"><xsl:value-of select="@username"/></td>
              <td data-col="extension" class="mono"><xsl:value-of select="@ext"/></td>
              <td data-col="groups">
                <xsl:for-each select="group">
                  <span class="chip" data-group="{@id}" data-level="{@level}"><xsl:value-of select="@name"/><small> · <xsl:choose><xsl:when test="@department"><xsl:value-of select="i:t('agents.via_department')"/></xsl:when><xsl:otherwise><xsl:value-of select="@level"/></xsl:otherwise></xsl:choose></small></span><xsl:text> </xsl:text>
                </xsl:for-each>
              </td>
              <td data-col="state" class="cell-state">
                <span class="badge state-{@state}" data-state="{@state}"><xsl:value-of select="i:t(concat('state.', @state))"/></span>
              </td>
              <td data-col="registered" class="cell-reg" data-registered="{@registered}">
                <xsl:choose>
                  <xsl:when test="@registered = '1'"><span class="badge reg-on"><xsl:value-of select="i:t('agents.registered')"/></span></xsl:when>
                  <xsl:otherwise><span class="badge reg-off"><xsl:value-of select="i:t('agents.unregistered')"/></span></xsl:otherwise>
                </xsl:choose>
              </td>
              <td data-col="enabled" data-value="{@enabled}">
                <xsl:choose>
                  <xsl:when test="@enabled = '1'"><span class="badge bool-yes"><xsl:value-of select="i:t('agents.yes')"/></span></xsl:when>
                  <xsl:otherwise><span class="badge bool-no"><xsl:value-of select="i:t('agents.disabled_badge')"/></span></xsl:otherwise>
                </xsl:choose>
              </td>
            </tr>
          </xsl:for-each>
          <xsl:if test="not(rows/agent)">
            <tr class="empty"><td colspan="7"><xsl:value-of select="i:t('agents.empty')"/></td></tr>
          </xsl:if>
        </tbody>
      </table>
      <nav class="pager" id="ag-pages" aria-label="{i:t('agents.pages')}" data-total="{rows/@total}"
           data-page="{rows/@page}" data-pages="{rows/@pages}">
        <span class="pager-info" id="ag-total">
          <xsl:call-template name="fill">
            <xsl:with-param name="text" select="i:t('agents.total')"/>
            <xsl:with-param name="value" select="rows/@total"/>
          </xsl:call-template>
        </span>
        <xsl:if test="pager/@prev">
          <a class="btn btn-quiet btn-sm" id="ag-prev" rel="prev" href="{pager/@prev}"><xsl:value-of select="i:t('agents.prev')"/></a>
        </xsl:if>
        <xsl:for-each select="pager/page | pager/gap">
          <xsl:choose>
            <xsl:when test="self::gap"><span class="pager-gap">…</span></xsl:when>
            <xsl:when test="@current"><span class="pager-page current" aria-current="page" data-page="{@n}"><xsl:value-of select="@n"/></span></xsl:when>
            <xsl:otherwise><a class="pager-page" href="{@href}" data-page="{@n}"><xsl:value-of select="@n"/></a></xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
        <xsl:if test="pager/@next">
          <a class="btn btn-quiet btn-sm" id="ag-next" rel="next" href="{pager/@next}"><xsl:value-of select="i:t('agents.next')"/></a>
        </xsl:if>
      </nav>
    </section>
  </xsl:template>

  <xsl:template name="opt">
    <xsl:param name="v"/>
    <xsl:param name="cur"/>
    <xsl:param name="key"/>
    <option value="{$v}">
      <xsl:if test="string($cur) = $v"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
      <xsl:value-of select="i:t($key)"/>
    </option>
  </xsl:template>

  <xsl:template name="sort-th">
    <xsl:param name="name"/>
    <xsl:variable name="s" select="/page/agents/sorts/sort[@name = $name]"/>
    <th data-col="{$name}">
      <xsl:if test="$s/@sorted">
        <xsl:attribute name="aria-sort">
          <xsl:choose><xsl:when test="$s/@sorted = 'desc'">descending</xsl:when><xsl:otherwise>ascending</xsl:otherwise></xsl:choose>
        </xsl:attribute>
      </xsl:if>
      <a href="{$s/@href}" id="sort-{$name}" class="sort">
        <xsl:if test="$s/@sorted"><xsl:attribute name="class">sort sort-<xsl:value-of select="$s/@sorted"/></xsl:attribute></xsl:if>
        <xsl:value-of select="i:t(concat('agents.col.', $name))"/>
      </a>
    </th>
  </xsl:template>

  <!-- The new agent's form and an agent's page. -->
  <xsl:template match="agents" mode="form">
    <xsl:variable name="a" select="agent"/>
    <div class="page-head">
      <h1>
        <xsl:choose>
          <xsl:when test="$a"><xsl:value-of select="$a/@name"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="i:t('agents.new')"/></xsl:otherwise>
        </xsl:choose>
      </h1>
      <a class="btn btn-quiet" id="ag-back" href="/cc/admin/agents"><xsl:value-of select="i:t('agents.back')"/></a>
    </div>
    <div id="ag-message" role="status" class="banner" hidden="hidden"></div>
    <div id="ag-password" class="banner banner-warn password-once" hidden="hidden" role="alert">
      <div><xsl:value-of select="i:t('agents.password_once')"/></div>
      <div class="password-line">
        <span><xsl:value-of select="i:t('agents.col.extension')"/>: </span><code id="ag-password-ext"></code>
        <span> · <xsl:value-of select="i:t('agents.sip_password')"/>: </span><code id="ag-password-value"></code>
      </div>
    </div>
    <section class="panel">
      <form id="ag-form" data-mode="{@view}" data-id="{$a/@id}" novalidate="novalidate">
        <xsl:if test="not($a)">
          <fieldset class="field mode-choice">
            <legend><xsl:value-of select="i:t('agents.mode')"/></legend>
            <label class="check"><input type="radio" name="mode" id="mode-new" value="new" checked="checked"/><xsl:text> </xsl:text><xsl:value-of select="i:t('agents.mode.new')"/></label>
            <label class="check"><input type="radio" name="mode" id="mode-existing" value="existing"/><xsl:text> </xsl:text><xsl:value-of select="i:t('agents.mode.existing')"/></label>
          </fieldset>
          <div class="form-grid" id="existing-fields" hidden="hidden">
            <div class="field" data-col="user_id">
              <label for="f-user-q"><xsl:value-of select="i:t('agents.pick_user')"/></label>
              <input type="search" id="f-user-q" maxlength="64" placeholder="{i:t('agents.pick_user_hint')}"/>
              <select id="f-user_id" name="user_id" size="5"></select>
              <div class="field-error" id="err-user_id"></div>
            </div>
          </div>
          <div class="form-grid" id="new-fields">
            <div class="field" data-col="username">
              <label for="f-username"><xsl:value-of select="i:t('agents.col.username')"/><span class="req" aria-hidden="true">*</span></label>
              <input type="text" id="f-username" name="username" maxlength="50" autocomplete="off"/>
              <div class="field-error" id="err-username"></div>
            </div>
            <div class="field" data-col="password">
              <label for="f-password"><xsl:value-of select="i:t('agents.login_password')"/><span class="req" aria-hidden="true">*</span></label>
              <input type="password" id="f-password" name="password" maxlength="64" autocomplete="new-password"/>
              <div class="field-hint"><xsl:value-of select="i:t('agents.login_password_hint')"/></div>
              <div class="field-error" id="err-password"></div>
            </div>
          </div>
        </xsl:if>
        <div class="form-grid">
          <div class="field" data-col="name" id="name-field">
            <label for="f-name"><xsl:value-of select="i:t('agents.col.name')"/><span class="req" aria-hidden="true">*</span></label>
            <input type="text" id="f-name" name="name" maxlength="100" value="{$a/@name}"/>
            <div class="field-error" id="err-name"></div>
          </div>
          <div class="field" data-col="extension">
            <label for="f-extension"><xsl:value-of select="i:t('agents.col.extension')"/></label>
            <input type="text" id="f-extension" name="extension" maxlength="10" inputmode="numeric"
                   value="{$a/@ext}" placeholder="{@next-ext}"/>
            <div class="field-hint">
              <xsl:choose>
                <xsl:when test="$a"><xsl:value-of select="i:t('agents.extension_hint_edit')"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="i:t('agents.extension_hint')"/></xsl:otherwise>
              </xsl:choose>
            </div>
            <div class="field-error" id="err-extension"></div>
          </div>
        </div>
        <fieldset class="field groups" id="ag-groups">
          <legend><xsl:value-of select="i:t('agents.col.groups')"/></legend>
          <xsl:for-each select="groups/group">
            <xsl:variable name="gid" select="string(@id)"/>
            <xsl:variable name="mine" select="$a/group[string(@id) = $gid and not(@department)]"/>
            <xsl:variable name="dept" select="$a/group[string(@id) = $gid and @department]"/>
            <div class="group-row">
              <label class="check">
                <input type="checkbox" class="grp" id="grp-{@id}" data-id="{@id}">
                  <xsl:if test="$mine or $dept"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
                  <xsl:if test="$dept"><xsl:attribute name="disabled">disabled</xsl:attribute></xsl:if>
                </input>
                <xsl:text> </xsl:text><xsl:value-of select="@name"/>
                <xsl:if test="$dept"><span class="muted"><xsl:text> </xsl:text><xsl:value-of select="i:t('agents.via_department')"/></span></xsl:if>
              </label>
              <label class="level">
                <xsl:value-of select="i:t('agents.level')"/>
                <select class="grp-level" id="lvl-{@id}" data-id="{@id}">
                  <xsl:call-template name="levels"><xsl:with-param name="cur">
                    <xsl:choose><xsl:when test="$mine"><xsl:value-of select="$mine/@level"/></xsl:when><xsl:otherwise>1</xsl:otherwise></xsl:choose>
                  </xsl:with-param></xsl:call-template>
                </select>
              </label>
            </div>
          </xsl:for-each>
          <xsl:if test="not(groups/group)"><p class="muted"><xsl:value-of select="i:t('agents.no_groups')"/></p></xsl:if>
          <div class="field-hint"><xsl:value-of select="i:t('agents.level_hint')"/></div>
          <div class="field-error" id="err-groups"></div>
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" id="ag-save"><xsl:value-of select="i:t('agents.save')"/></button>
        </div>
      </form>
    </section>
    <xsl:if test="$a">
      <section class="panel" id="ag-status" data-state="{$a/@state}" data-enabled="{$a/@enabled}" data-registered="{$a/@registered}">
        <h2><xsl:value-of select="i:t('agents.status')"/></h2>
        <p>
          <span class="badge state-{$a/@state}" data-state="{$a/@state}" id="ag-state"><xsl:value-of select="i:t(concat('state.', $a/@state))"/></span>
          <xsl:text> </xsl:text>
          <span id="ag-reg" data-registered="{$a/@registered}">
            <xsl:attribute name="class">badge <xsl:choose><xsl:when test="$a/@registered = '1'">reg-on</xsl:when><xsl:otherwise>reg-off</xsl:otherwise></xsl:choose></xsl:attribute>
            <xsl:choose><xsl:when test="$a/@registered = '1'"><xsl:value-of select="i:t('agents.registered')"/></xsl:when><xsl:otherwise><xsl:value-of select="i:t('agents.unregistered')"/></xsl:otherwise></xsl:choose>
          </span>
        </p>
        <div class="form-actions">
          <button type="button" class="btn" id="ag-reset"><xsl:value-of select="i:t('agents.reset_password')"/></button>
          <button type="button" class="btn" id="ag-toggle" data-enabled="{$a/@enabled}">
            <xsl:choose>
              <xsl:when test="$a/@enabled = '1'"><xsl:value-of select="i:t('agents.disable')"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="i:t('agents.enable')"/></xsl:otherwise>
            </xsl:choose>
          </button>
          <button type="button" class="btn btn-warn" id="ag-delete"><xsl:value-of select="i:t('agents.delete')"/></button>
        </div>
      </section>
      <section class="panel" id="ag-dedicated">
        <h2><xsl:value-of select="i:t('agents.dedicated.title')"/></h2>
        <p class="muted"><xsl:value-of select="i:t('agents.dedicated.hint')"/></p>
        <ul id="ded-list" class="plain-list">
          <xsl:for-each select="dedicated/contact">
            <li data-id="{@id}"><span class="ded-name"><xsl:value-of select="@name"/></span>
              <xsl:text> </xsl:text>
              <button type="button" class="btn btn-quiet btn-sm ded-remove" data-id="{@id}"><xsl:value-of select="i:t('agents.dedicated.remove')"/></button>
            </li>
          </xsl:for-each>
        </ul>
        <div class="res-search">
          <input type="search" id="ded-q" maxlength="64" placeholder="{i:t('agents.dedicated.search')}" aria-label="{i:t('agents.dedicated.search')}"/>
        </div>
        <ul id="ded-results" class="plain-list"></ul>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template name="levels">
    <xsl:param name="cur"/>
    <xsl:param name="n" select="1"/>
    <option value="{$n}"><xsl:if test="number($cur) = $n"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="$n"/></option>
    <xsl:if test="$n &lt; 9">
      <xsl:call-template name="levels"><xsl:with-param name="cur" select="$cur"/><xsl:with-param name="n" select="$n + 1"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- The import. -->
  <xsl:template match="agents" mode="import">
    <div class="page-head">
      <h1><xsl:value-of select="i:t('agents.import')"/></h1>
      <a class="btn btn-quiet" id="ag-back" href="/cc/admin/agents"><xsl:value-of select="i:t('agents.back')"/></a>
    </div>
    <section class="panel" id="imp" data-max-rows="{@max-rows}" data-max-kb="{@max-kb}">
      <p>
        <xsl:call-template name="fill">
          <xsl:with-param name="text" select="i:t('agents.import.hint')"/>
          <xsl:with-param name="value" select="@max-rows"/>
        </xsl:call-template>
      </p>
      <p><a id="imp-template" href="/cc/admin/agents/template"><xsl:value-of select="i:t('agents.import.template')"/></a></p>
      <form id="imp-form">
        <input type="file" id="imp-file" accept=".csv,text/csv"/>
        <button type="submit" class="btn btn-primary" id="imp-start"><xsl:value-of select="i:t('agents.import.start')"/></button>
      </form>
      <progress id="imp-progress" max="1" value="0" hidden="hidden"></progress>
      <div id="imp-status" role="status"></div>
      <div id="imp-report" hidden="hidden">
        <p id="imp-summary"></p>
        <button type="button" class="btn" id="imp-passwords" hidden="hidden"><xsl:value-of select="i:t('agents.import.passwords')"/></button>
        <table class="table" id="imp-errors">
          <thead><tr>
            <th><xsl:value-of select="i:t('agents.import.line')"/></th>
            <th><xsl:value-of select="i:t('agents.import.field')"/></th>
            <th><xsl:value-of select="i:t('agents.import.reason')"/></th>
          </tr></thead>
          <tbody></tbody>
        </table>
      </div>
    </section>
  </xsl:template>
</xsl:stylesheet>
