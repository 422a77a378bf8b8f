<?xml version="1.0" encoding="UTF-8"?>
<!-- The list page of any admin resource (fcgi-app/resource/): search, the
     listed columns with sort links, one page of rows with edit and delete,
     the pages. Everything comes from /page/res (resource/doc.c); labels
     are catalogue keys. Delete is a POST form with the CSRF token;
     resource.js asks for confirmation (data-confirm). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:value-of select="i:t(res/@title)"/>
  </xsl:template>

  <xsl:template match="/page" mode="scripts">
    <script src="/cc/static/resource.js" defer="defer"></script>
  </xsl:template>

  <xsl:template match="/page" mode="main">
    <xsl:variable name="res" select="res"/>
    <xsl:variable name="item" select="i:t($res/@item)"/>
    <div class="console" id="res" data-res="{$res/@name}" data-view="list">
      <xsl:call-template name="side-nav"/>
      <div class="console-main">
        <div class="page-head">
          <h1><xsl:value-of select="i:t($res/@title)"/></h1>
          <a class="btn btn-primary" id="res-new" href="{$res/@base}/new">
            <xsl:call-template name="fill">
              <xsl:with-param name="text" select="i:t('res.new_item')"/>
              <xsl:with-param name="value" select="$item"/>
            </xsl:call-template>
          </a>
        </div>

        <xsl:for-each select="$res/notice">
          <div id="res-notice" role="status" data-done="{@done}" data-pending="{@pending}">
            <xsl:attribute name="class">
              <xsl:choose>
                <xsl:when test="@pending">banner banner-warn</xsl:when>
                <xsl:otherwise>banner banner-ok</xsl:otherwise>
              </xsl:choose>
            </xsl:attribute>
            <xsl:value-of select="i:t(concat('res.done.', @done))"/>
            <xsl:if test="@pending">
              <xsl:text> </xsl:text>
              <xsl:value-of select="i:t('res.reload_pending')"/>
            </xsl:if>
          </div>
        </xsl:for-each>

        <section class="panel">
          <form method="get" action="{$res/@base}" class="res-search" id="res-search" role="search">
            <input type="search" name="q" id="res-q" maxlength="64" value="{$res/search/@q}"
                   placeholder="{i:t('res.search_placeholder')}" aria-label="{i:t('res.search')}"/>
            <xsl:if test="string($res/search/@sort)">
              <input type="hidden" name="sort" value="{$res/search/@sort}"/>
            </xsl:if>
            <input type="hidden" name="dir" value="{$res/search/@dir}"/>
            <button type="submit" class="btn" id="res-search-btn"><xsl:value-of select="i:t('res.search')"/></button>
            <xsl:if test="string($res/search/@q)">
              <a class="btn btn-quiet" id="res-clear" href="{$res/@base}"><xsl:value-of select="i:t('res.clear')"/></a>
            </xsl:if>
          </form>

          <table class="table" id="res-list">
            <thead><tr>
              <xsl:for-each select="$res/cols/col">
                <th data-col="{@name}">
                  <xsl:if test="@sorted">
                    <xsl:attribute name="aria-sort">
                      <xsl:choose>
                        <xsl:when test="@sorted = 'desc'">descending</xsl:when>
                        <xsl:otherwise>ascending</xsl:otherwise>
                      </xsl:choose>
                    </xsl:attribute>
                  </xsl:if>
                  <xsl:choose>
                    <xsl:when test="@sort-href">
                      <a href="{@sort-href}" id="sort-{@name}" class="sort">
                        <xsl:if test="@sorted"><xsl:attribute name="class">sort sort-<xsl:value-of select="@sorted"/></xsl:attribute></xsl:if>
                        <xsl:value-of select="i:t(@label)"/>
                      </a>
                    </xsl:when>
                    <xsl:otherwise><xsl:value-of select="i:t(@label)"/></xsl:otherwise>
                  </xsl:choose>
                </th>
              </xsl:for-each>
              <th class="actions"><xsl:value-of select="i:t('res.actions')"/></th>
            </tr></thead>
            <tbody>
              <xsl:for-each select="$res/rows/row">
                <tr data-key="{@key}">
                  <xsl:for-each select="cell">
                    <td data-col="{@name}" data-value="{@value}">
                      <xsl:choose>
                        <xsl:when test="@type = 'bool'">
                          <xsl:choose>
                            <xsl:when test="@value = '1'"><span class="badge bool-yes"><xsl:value-of select="i:t('res.yes')"/></span></xsl:when>
                            <xsl:otherwise><span class="badge bool-no"><xsl:value-of select="i:t('res.no')"/></span></xsl:otherwise>
                          </xsl:choose>
                        </xsl:when>
                        <xsl:when test="@type = 'choice' and @key"><xsl:value-of select="i:t(@key)"/></xsl:when>
                        <xsl:when test="string(.) = ''"><span class="muted">—</span></xsl:when>
                        <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
                      </xsl:choose>
                    </td>
                  </xsl:for-each>
                  <td class="actions">
                    <a class="btn btn-quiet btn-sm res-edit" href="{@href}"><xsl:value-of select="i:t('res.edit')"/></a>
                    <form method="post" action="{@delete}" class="res-delete" data-confirm="{i:t('res.confirm_delete')}">
                      <input type="hidden" name="_csrf" value="{/page/@csrf}"/>
                      <button type="submit" class="btn btn-warn btn-sm"><xsl:value-of select="i:t('res.delete')"/></button>
                    </form>
                  </td>
                </tr>
              </xsl:for-each>
              <xsl:if test="not($res/rows/row)">
                <tr class="empty"><td colspan="{count($res/cols/col) + 1}">
                  <xsl:choose>
                    <xsl:when test="string($res/search/@q)"><xsl:value-of select="i:t('res.no_match')"/></xsl:when>
                    <xsl:otherwise><xsl:value-of select="i:t('res.empty')"/></xsl:otherwise>
                  </xsl:choose>
                </td></tr>
              </xsl:if>
            </tbody>
          </table>

          <xsl:variable name="rows" select="$res/rows"/>
          <nav class="pager" id="res-pages" aria-label="{i:t('res.pages')}" data-total="{$rows/@total}"
               data-page="{$rows/@page}" data-pages="{$rows/@pages}">
            <span class="pager-info" id="res-total">
              <xsl:call-template name="fill">
                <xsl:with-param name="text" select="i:t('res.total')"/>
                <xsl:with-param name="value" select="$rows/@total"/>
              </xsl:call-template>
            </span>
            <xsl:if test="$res/pager/@prev">
              <a class="btn btn-quiet btn-sm" id="res-prev" rel="prev" href="{$res/pager/@prev}"><xsl:value-of select="i:t('res.prev')"/></a>
            </xsl:if>
            <xsl:for-each select="$res/pager/page | $res/pager/gap">
              <xsl:choose>
                <xsl:when test="self::gap"><span class="pager-gap">…</span></xsl:when>
                <xsl:when test="@current"><span class="pager-page current" aria-current="page" data-page="{@n}"><xsl:value-of select="@n"/></span></xsl:when>
                <xsl:otherwise><a class="pager-page" href="{@href}" data-page="{@n}"><xsl:value-of select="@n"/></a></xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
            <xsl:if test="$res/pager/@next">
              <a class="btn btn-quiet btn-sm" id="res-next" rel="next" href="{$res/pager/@next}"><xsl:value-of select="i:t('res.next')"/></a>
            </xsl:if>
          </nav>
        </section>
      </div>
    </div>
  </xsl:template>
</xsl:stylesheet>
